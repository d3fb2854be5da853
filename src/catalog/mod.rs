//! The embedded IAM catalogue: services, actions, condition keys, operators.
