//! Integration, stress and end-to-end tests for magpie live in `tests/`.
