from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "samsyn.pipeline"
    verbose_name = "Beredning: behov, insatser och projektidéer"
