from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "samsyn.calls"
    verbose_name = "Utlysningar, ansökningar och prioritering"

    def ready(self) -> None:
        # The pipeline's demo takes ideas to submitted/granted/rejected through an application.
        from samsyn.calls.demo import through_application
        from samsyn.pipeline.demo import register_application_steps

        register_application_steps(through_application)
