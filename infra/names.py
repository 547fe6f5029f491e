"""Every stack name, construct id, context key and output name of the CDK app, in one place.

Physical names are left to CloudFormation (the outputs publish them) except the event bus, which
needs one and is qualified by the stack name so two stages can share an account.
"""

from __future__ import annotations

STACK = "AssetBackend"

# Context keys (`cdk synth -c key=value` or `cdk.json`).
CORS_ORIGINS_CONTEXT = "cors_origins"
"""Origins a browser may call the API and POST uploads from; a list, or a comma-separated string."""
BUNDLING_STACKS_CONTEXT = "aws:cdk:bundling-stacks"
"""CDK's own key: the stacks whose assets are bundled; `[]` bundles none."""
SKIP_BUNDLING_CONTEXT = "skip_bundling"
"""`true` skips asset bundling (no pip, no network), like `aws:cdk:bundling-stacks=[]`, which the CLI refuses.

For synth and tests only: a deploy with it would ship an unbuilt layer."""

DELIVERY_DOMAIN_CONTEXT = "delivery_domain"
"""Optional: a custom domain for the CDN (`assets.example.com`), with `delivery_certificate_arn`."""
DELIVERY_CERTIFICATE_CONTEXT = "delivery_certificate_arn"
"""The ACM certificate (in us-east-1, as CloudFront requires) for `delivery_domain`."""
SNAPSTART_CONTEXT = "snapstart"
"""`false` turns SnapStart off for the route functions (`true` in cdk.json: on where the region has it)."""
DELIVERY_PRESETS_CONTEXT = "delivery_presets"
"""Optional: named transforms, `{"name": "w=..&h=..&fit=.."}`; `functions.settings.Settings.delivery_presets` else."""
WAF_CONTEXT = "waf"
"""`true` puts a WAF web ACL in front of the API stage (`infra.waf`); `false` in cdk.json."""
WAF_RATE_LIMIT_CONTEXT = "waf_rate_limit"
"""Optional: the web ACL's limit of requests per client IP in 5 minutes (`infra.waf.DEFAULT_RATE_LIMIT`)."""

# Constructs of the stack.
STORAGE = "Storage"
BUCKET = "Assets"
ACCESS_LOGS_BUCKET = "AccessLogs"
TABLE = "Table"
IDEMPOTENCY_TABLE = "Idempotency"
EVENTS = "Events"
EVENT_BUS = "Bus"
LAYER = "Dependencies"
PROCESSING_LAYER = "ProcessingDependencies"
LAYER_VERSION = "Layer"
CURSORS = "Cursors"
CURSOR_KEY = "Key"
DELIVERY = "Delivery"
DELIVERY_KEY = "Key"
DELIVER_FUNCTION = "deliver"
DELIVERY_CACHE = "CachePolicy"
NORMALISE_ACCEPT = "NormaliseAccept"
DISTRIBUTION = "Distribution"
STRIP_FILES_PREFIX = "StripFilesPrefix"
FILES_HEADERS = "FilesHeaders"
SIGNING_KEY = "SigningKey"
SIGNING_KEY_FUNCTION = "make_signing_key"
SIGNING_KEY_PAIR = "SigningKeyPair"
SIGNING_PUBLIC_KEY = "SigningPublicKey"
SIGNING_KEY_GROUP = "SigningKeyGroup"
PROCESSING = "Processing"
QUEUE = "Uploads"
DEAD_LETTER_QUEUE = "UploadsDeadLetters"
PROCESSOR = "process_upload"
EXPIRY = "Expiry"
EXPIRY_DEAD_LETTER_QUEUE = "ExpiryDeadLetters"
EXPIRY_FUNCTION = "forget_expired"
PUBLISHER = "Publisher"
PUBLISHER_DEAD_LETTER_QUEUE = "PublisherDeadLetters"
PUBLISHER_FUNCTION = "publish_events"
FOLDER_JOBS = "FolderJobs"
JOBS_QUEUE = "Jobs"
JOBS_DEAD_LETTER_QUEUE = "JobsDeadLetters"
JOBS_WORKER = "run_folder_job"
EXPORTS = "Exports"
EXPORTS_QUEUE = "ExportJobs"
EXPORTS_DEAD_LETTER_QUEUE = "ExportJobsDeadLetters"
EXPORT_WORKER = "run_export"
API = "Api"
MONITORING = "Monitoring"
ALARM_TOPIC = "Alarms"
ALARM_KEY = "AlarmKey"
DASHBOARD = "Dashboard"
EVENT_ARCHIVE = "Archive"
WAF = "Waf"
WEB_ACL = "WebAcl"
WEB_ACL_ASSOCIATION = "StageAssociation"
REST_API = "RestApi"
ACCESS_LOG = "AccessLog"
AUTHORIZER = "Authorizer"
AUTHORIZER_FUNCTION = "authorize"
REQUEST_VALIDATOR = "Validator"
ROUTES_STACK_SUFFIX = "Routes"
"""A nested stack of route functions is named after its resource: `SharesRoutes` (`routes_stack`)."""
SNAPSTART_CONDITION = "SnapStartRegion"
"""The condition, in each nested stack of route functions, that the stack's region has SnapStart for Python."""
LIVE_ALIAS = "Live"
LIVE = "live"
"""The alias of a route function's current published version, which the API invokes (with SnapStart)."""
INVOKE_PERMISSION = "ApiInvoke"
"""The permission that lets the API's stage invoke a route function, for its own method and path only."""
FUNCTION = "Function"
FUNCTION_ROLE = "Role"
FUNCTION_POLICY = "access"
"""The inline policy of a function's role: its log group and its `Access`."""
FUNCTION_LOGS = "Logs"

STAGE = "prod"
"""API Gateway stage. Routes already carry their version (`/v1/...`), so the stage is not one."""

SERVICE_NAME = "assets"
"""`POWERTOOLS_SERVICE_NAME`, as `make dev` sets it."""
METRICS_NAMESPACE = "Assets"

# Stack outputs.
API_URL_OUTPUT = "ApiUrl"
BUCKET_NAME_OUTPUT = "BucketName"
TABLE_NAME_OUTPUT = "TableName"
EVENT_BUS_NAME_OUTPUT = "EventBusName"
CURSOR_KEY_OUTPUT = "CursorSecretArn"
ALARM_TOPIC_OUTPUT = "AlarmTopicArn"
EVENT_ARCHIVE_OUTPUT = "EventArchiveName"
DELIVERY_URL_OUTPUT = "DeliveryUrl"
DISTRIBUTION_ID_OUTPUT = "DistributionId"
DELIVERY_KEY_OUTPUT = "DeliverySecretArn"
USAGE_PLAN_OUTPUT = "UsagePlan"
"""Followed by the tier, title-cased (`UsagePlanStandard`): the id of that tier's usage plan."""


def event_bus_name(stack_name: str) -> str:
    return f"{stack_name}-assets"


def rest_api_name(stack_name: str) -> str:
    return f"{stack_name}-api"


def routes_stack(resource: str) -> str:
    """The nested stack that holds the route functions of one resource of the route table."""
    return f"{resource.title().replace('_', '')}{ROUTES_STACK_SUFFIX}"
