from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from concord.core import services
from concord.core.roles import ROLES


class Command(BaseCommand):
    help = "The secretariat's roles: list them with their permissions and members, grant or revoke one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="Each role, its permissions and who holds it (the default).")
        for action in ("grant", "revoke"):
            p = sub.add_parser(action, help=f"{action.capitalize()} a role (grant also makes the account staff).")
            p.add_argument("username")
            p.add_argument("role", help=", ".join(ROLES))
        sub.add_parser("sync", help="Bring the roles' groups in step with the code (migrate does it too).")

    def handle(self, *args, action=None, **options):
        if action in ("grant", "revoke"):
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No account {options['username']!r}.")
            func = services.grant_role if action == "grant" else services.revoke_role
            try:
                func("cli", user, options["role"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(f"{action}: {user.get_username()} {options['role']}")
            return
        if action == "sync":
            services.sync_roles("cli")
        groups = {g.name: g for g in Group.objects.filter(name__in=[r.group for r in ROLES.values()])}
        for role in ROLES.values():
            group = groups.get(role.group)
            members = sorted(group.user_set.values_list("username", flat=True)) if group else []
            self.stdout.write(f"{role.key}  ({role.label})")
            self.stdout.write(f"  members: {', '.join(members) or '-'}")
            self.stdout.write(f"  permissions: {' '.join(sorted(set(role.permissions)))}")
