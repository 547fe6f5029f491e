"""CDK entry point (`cdk synth`, `cdk deploy`). `-c skip_bundling=true` synthesizes without building the layer."""

from infra.app import build

if __name__ == "__main__":
    app, _ = build()
    app.synth()
