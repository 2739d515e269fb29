"""Chinese first: the UI is zh-Hans unless the user picked another language with the switcher.

Django's LocaleMiddleware also honours the browser's Accept-Language, so an English-language browser
(the default of many intranet machines' images, and of headless test browsers) would get English.
SPEC §12 wants zh-Hans by default; English is a choice, remembered in the language cookie.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
