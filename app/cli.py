"""Command-line tasks: demo data, the record check, the audit chain check, first administrator, backup
and restore."""

import getpass
import sys
import time

import click
from sqlalchemy import func, select

from app.extensions import db


def register_cli(app):
    @app.cli.command("demo-data")
    @click.option("--scale", type=click.Choice(["demo", "haiphong"]), default="demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has units.")
    def demo_data(scale, if_empty):
        """Load demo data (a province, districts, communes, cells, members, accounts)."""
        from app.demo.data import DEMO_PASSWORD, build_haiphong, build_small
        from app.org.models import OrgUnit

        if db.session.scalar(select(func.count()).select_from(OrgUnit)):
            if if_empty:
                click.echo("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu mẫu.")
                return
            click.echo("Cơ sở dữ liệu đã có dữ liệu. Dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống.", err=True)
            sys.exit(1)
        started = time.monotonic()
        from app.demo.meetings import build_meetings

        accounts = build_haiphong() if scale == "haiphong" else build_small()
        cells = build_meetings(rich=scale != "haiphong")
        if scale != "haiphong":
            from app.demo.documents import build_documents

            sealed, issued = build_documents()
            click.echo(f"Cấp số và mã xác thực cho {sealed} biên bản đã thông qua; ban hành {issued} nghị quyết.")
            from app.demo.data import role_line
            from app.demo.scoring import build_scores
            from app.demo.supervision import build_cadres

            cadres = build_cadres(DEMO_PASSWORD)
            scored = build_scores()
            from app.demo.proposals import build_proposals

            build_proposals()
            from app.demo.criticism import build_criticism

            click.echo(f"{build_criticism()} ghi chép tự phê bình, phê bình kèm cam kết sửa chữa.")
            click.echo(f"Chấm điểm {scored} buổi sinh hoạt đã diễn ra.")
            accounts += [(u.username, u.full_name, role_line(u)) for u in cadres]
        else:
            from app.demo.supervision import build_cadres_at_scale

            click.echo(f"{build_cadres_at_scale(DEMO_PASSWORD)} cấp ủy viên phụ trách với một năm dự sinh hoạt.")
        db.session.commit()
        click.echo(f"Lịch sinh hoạt 12 tháng qua và các tháng tới cho {cells} chi bộ.")
        click.echo(f"Đã nạp dữ liệu mẫu ({scale}) trong {time.monotonic() - started:.1f} giây.")
        click.echo(f"\nTài khoản thử (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, full_name, roles in accounts:
            click.echo(f"  {username:<9} {full_name} — {roles}")

    @app.cli.command("check-records")
    def check_records():
        """Check every adopted minutes against every record rule, and the audit log's
        hash chain; exit 1 on any violation or broken link."""
        from app.rules.check import record_violations

        violations = record_violations()
        for v in violations:
            click.echo(f"Cuộc họp {v.meeting_id} · {v.cell} · {v.rule}: {v.message}")
        click.echo(f"{len(violations)} vi phạm trong các biên bản đã thông qua.")
        intact = _report_audit_chain()
        if violations or not intact:
            sys.exit(1)

    @app.cli.command("audit-verify")
    def audit_verify():
        """Walk the audit log's hash chain; exit 1 at the first broken link."""
        if not _report_audit_chain():
            sys.exit(1)

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--full-name", default="Quản trị hệ thống")
    @click.option("--province", help="Name of the top unit, created if the database has none.")
    def create_admin(username, full_name, province):
        """Create a system administrator (asks for the password)."""
        from datetime import date

        from app.audit.services import record
        from app.auth.models import User
        from app.org.models import OrgUnit, Role, RoleAssignment, UnitKind
        from app.org.services import create_unit

        root = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)).first()
        if root is None:
            if not province:
                raise click.UsageError('Cơ sở dữ liệu chưa có đơn vị nào: hãy cho biết --province "Đảng bộ tỉnh …".')
            root = create_unit(None, None, kind=UnitKind.province, name=province)
        if db.session.scalar(select(User.id).where(User.username == username)):
            raise click.UsageError(f"Tên đăng nhập {username} đã tồn tại.")
        password = getpass.getpass("Mật khẩu: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        if len(password) < 10:
            raise click.UsageError("Mật khẩu phải có ít nhất 10 ký tự.")
        user = User(username=username, full_name=full_name)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        db.session.add(RoleAssignment(user_id=user.id, unit_id=root.id, role=Role.admin.value, from_on=date.today()))
        record(None, "account.create", user, root, f"Tạo quản trị hệ thống {username} (dòng lệnh)")
        db.session.commit()
        click.echo(f"Đã tạo tài khoản quản trị {username}.")

    @app.cli.command("backup")
    @click.argument("path")
    def backup_command(path):
        """Write a verified archive of the live database and its documents to PATH."""
        from app.backup import BackupError, backup

        try:
            manifest = backup(path)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        counts = manifest["counts"]
        click.echo(
            f"Đã sao lưu vào {path}: {len(manifest['documents'])} tài liệu; "
            + ", ".join(f"{t} {n}" for t, n in counts.items())
        )

    @app.cli.command("restore")
    @click.argument("path")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(path, yes):
        """Replace the database and documents with the backup at PATH; the application
        answers every write with a maintenance page while it runs."""
        from app.backup import BackupError, plan_restore, restore

        try:
            plan = plan_restore(path)
            click.echo(
                f"Bản sao lưu lúc {plan.manifest['created_at']} UTC: "
                f"{plan.manifest['counts'].get('members', 0)} đảng viên, {len(plan.manifest['documents'])} tài liệu."
            )
            if plan.lost_audit_entries:
                click.echo(
                    f"Sẽ mất {plan.lost_audit_entries} thao tác đã ghi sau bản sao lưu: "
                    + ", ".join(f"{action} {n}" for action, n in plan.lost_by_action.items())
                )
            else:
                click.echo("Không có thao tác nào ghi sau bản sao lưu.")
            if not yes:
                click.confirm("Toàn bộ dữ liệu hiện tại sẽ bị thay bằng bản sao lưu. Tiếp tục?", abort=True)
            result = restore(path)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(
            f"Đã khôi phục từ {path} (bỏ {result['lost_audit_entries']} thao tác sau bản sao lưu): "
            + ", ".join(f"{t} {n}" for t, n in result["counts"].items())
        )


def _report_audit_chain() -> bool:
    from app.audit.chain import verify

    db.session.rollback()  # a read transaction of its own (no write lock on SQLite)
    verdict = verify(db.session.connection(execution_options={"reads_only": True}))
    db.session.rollback()
    if verdict.broken_id is None:
        click.echo(f"Nhật ký thao tác nguyên vẹn: {verdict.intact} mục, mỗi mục khớp mã băm của mục trước.")
        return True
    click.echo(
        f"Nhật ký thao tác bị can thiệp tại mục #{verdict.broken_id} (sau {verdict.intact} mục nguyên vẹn): "
        f"{verdict.problem}.",
        err=True,
    )
    return False
