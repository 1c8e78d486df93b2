"""Project-wide pages: the public start page, the staff workspace, error pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wohnfair.accounts.access import public, staff_required


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@staff_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html")


@public
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


@public
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


@public
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@public
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
