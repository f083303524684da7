from django.urls import URLPattern, URLResolver, path

from dangjian.points import views

app_name = "points"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mine, name="mine"),
    path("timebank/", views.timebank, name="timebank"),
    path("shop/", views.shop, name="shop"),
    path("shop/<int:item_id>/redeem/", views.redeem, name="redeem"),
    path("orders/<int:order_id>/cancel/", views.cancel, name="cancel"),
    path("statement/", views.statement, name="statement"),
    path("statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
    path("rules/", views.rules, name="rules"),
    path("desk/", views.desk, name="desk"),
    path("desk/award/", views.award, name="award"),
    path("desk/<int:movement_id>/reverse/", views.reverse, name="reverse"),
    path("counter/", views.counter, name="counter"),
    path("counter/<int:order_id>/pickup/", views.pickup, name="pickup"),
    path("counter/items/", views.item_add, name="item_add"),
    path("counter/items/<int:item_id>/restock/", views.item_restock, name="item_restock"),
    path("counter/days/", views.day_add, name="day_add"),
    path("figures/", views.figures, name="figures"),
]
