from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samsyn.audit"
    verbose_name = "Ändringshistorik"
