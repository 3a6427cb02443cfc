"""Pure functions that turn raw ATS values into canonical posting fields."""
