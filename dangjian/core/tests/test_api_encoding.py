def test_it_writes_chinese_as_itself_in_api_responses(world, login):
    client = login(world.outsider)
    response = client.get(f"/api/v1/territory/nodes/{world.grid_a1.pk}")
    assert response.status_code == 404
    assert "未找到或无权访问" in response.content.decode("utf-8")
    assert response["Content-Type"].startswith("application/json")
