from django.contrib.admin.apps import AdminConfig


class LaporAdminConfig(AdminConfig):
    """The Django admin, with the site that lets in system admins and supervisors."""

    default_site = "lapor.admin_site.LaporAdminSite"
