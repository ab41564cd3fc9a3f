from fangkong.access.api import urlpatterns

__all__ = ["urlpatterns"]
