def test_it_logs_out_on_post(login, world):
    client = login(world.street_officer)
    r = client.post("/accounts/logout/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_it_refuses_logout_by_get(login, world):
    client = login(world.street_officer)
    r = client.get("/accounts/logout/")
    assert r.status_code == 405
    assert client.session["_auth_user_id"] == str(world.street_officer.pk)
