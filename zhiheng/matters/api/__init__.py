"""The matters app's API: matters and budget lines (matters), the configurable matter rules
(parameters), mounted as one router."""

from ninja import Router

from . import matters, parameters

router = Router()
router.add_router("", matters.router)
router.add_router("", parameters.router)
