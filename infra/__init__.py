"""The CDK app of the asset backend: one thin stack composed of one construct per capability."""
