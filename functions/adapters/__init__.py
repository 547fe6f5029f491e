"""The only code that touches boto3. Clients are created lazily, once per container, and injectable."""
