"""Production mode serves static files through whitenoise's manifest storage: `collectstatic`
must resolve every file a vendored asset refers to (source maps, fonts), or every HTML page
answers 500 with DEBUG=0 ("Missing staticfiles manifest entry")."""

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_it_collects_every_static_file_with_the_manifest_storage(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        storage = storages["staticfiles"]
        assert isinstance(storage, ManifestFilesMixin)
        # The references inside the vendored files were rewritten to hashed names.
        for name in (
            "vendor/bootstrap/bootstrap.min.css",
            "vendor/bootstrap/bootstrap.bundle.min.js",
            "vendor/bootstrap-icons/bootstrap-icons.min.css",
            "vendor/echarts/echarts.min.js",
            "vendor/htmx/htmx.min.js",
            "js/dj.js",
        ):
            hashed = storage.stored_name(name)
            assert hashed != name and (tmp_path / hashed).exists(), name
        css = (tmp_path / storage.stored_name("vendor/bootstrap/bootstrap.min.css")).read_text()
        assert "sourceMappingURL=bootstrap.min.css." in css and ".map" in css
