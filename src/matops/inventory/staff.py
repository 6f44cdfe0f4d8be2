"""The trust's staff list: ``people/staff.csv``, an export of the MIS or HR system.

One row per member of staff: name, email, start date, leave date (blank while employed). The
checks use it to find leavers: people past their leave date whose accounts are still enabled.
Reading the CSV (loose column names, UK dates, ``path:line`` problems) is in
:mod:`matops.inventory.staff_csv`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from matops.inventory.tenants import Address


class StaffMember(BaseModel):
    """A member of staff from the staff list.

    >>> StaffMember(name="A. Teacher", email="A.Teacher@Example.org").email
    'a.teacher@example.org'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    email: Address
    start: date | None = None
    leave_date: date | None = None

    def has_left(self, today: date) -> bool:
        """Whether the leave date has passed (the leave date itself is still a working day)."""
        return self.leave_date is not None and self.leave_date < today
