from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "fangkong.cadres"
    verbose_name = "下沉干部"

    def ready(self) -> None:
        # 拨打 a cadre (the community phones one who is unwell or not signed in): through
        # contacts, revealed to whoever records the checks, audited.
        from fangkong.cadres.models import Cadre
        from fangkong.cadres.module import CadresCapability
        from fangkong.contacts.services import Callee, Subject, subject_register

        def callee(cadre: Cadre) -> Callee:
            return cadre.name, cadre.phone_cipher, cadre, f"下沉干部 #{cadre.pk}：电话联系"

        subject_register("cadre", Subject(Cadre, CadresCapability.CHECK, callee))
