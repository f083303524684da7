from dangjian.core import crypto


def test_it_validates_id_numbers_with_the_check_digit():
    assert crypto.is_valid_id_number("450981198001011236")
    assert not crypto.is_valid_id_number("450981198001011237")
    assert not crypto.is_valid_id_number("45098119800101123")


def test_it_masks_and_indexes_without_storing_plain_text():
    sealed = crypto.seal("phone", "138 0000 5678")
    assert sealed.masked == "138****5678"
    assert "5678" not in sealed.enc
    assert sealed.hash == crypto.lookup_hash("phone", "+8613800005678")
    assert crypto.decrypt(sealed.enc) == "13800005678"
    # the same value encrypts differently each time (random nonce)
    assert crypto.seal("phone", "13800005678").enc != sealed.enc
