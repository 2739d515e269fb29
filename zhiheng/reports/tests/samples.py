"""What the tests' reporter writes: strings a dump or a log must never hold in clear."""

SECRET_NAME = "钱举报人"
SECRET_CONTACT = "13900001234"
SECRET_BODY = "局长在城南项目中收受工程款回扣八十万元"
SECRET_SUBJECT = "城南项目回扣"
