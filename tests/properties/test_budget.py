"""The property tests, together, draw over 10,000 inputs a run under the default profile."""

import pytest

from tests.properties import test_form_properties, test_import_properties, test_list_parameters
from tests.properties.conftest import PROFILE


def test_the_property_tests_draw_over_ten_thousand_inputs_a_run():
    if PROFILE != "races":
        pytest.skip("the count holds for the default profile")
    budget = {
        name: test._hypothesis_internal_use_settings.max_examples
        for module in (test_form_properties, test_import_properties, test_list_parameters)
        for name, test in vars(module).items()
        if name.startswith("test_") and hasattr(test, "_hypothesis_internal_use_settings")
    }

    # 14 tests; the page-level ones take fewer (a request each), the direct ones more.
    assert len(budget) == 14
    assert sum(budget.values()) >= 10_000
