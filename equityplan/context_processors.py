"""Template context: which role the user has, so pages show only the actions they may take."""


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_record": False, "can_decide": False}
    return {
        "can_record": user.has_perm("grants.record_events"),
        "can_decide": user.has_perm("grants.decide"),
    }
