"""Flask extensions, created here and bound in ``create_app``."""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

login_manager = LoginManager()
login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(user_id: str) -> object | None:
    from skm import database
    from skm.models import User

    if not user_id.isdigit():
        return None
    user = database.session().get(User, int(user_id))
    return user if user is not None and user.active else None
