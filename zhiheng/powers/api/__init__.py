"""The powers app's API: the unit's catalogue and division of labour (units), the district's policy
(policy) and pending changes to the restricted catalogue (catalogue), mounted as one router."""

from ninja import Router

from . import catalogue, policy, units

router = Router()
router.add_router("", units.router)
router.add_router("", policy.router)
router.add_router("", catalogue.router)
