"""Held-out template family, half "tune": tune the detectors on this one.

    python3 ../shared/tools/gen_corpus.py \
        --templates tests/heldout/tune_templates.py --seed 1 --lines 20000 \
        --out /tmp/heldout-tune

Layouts the dev family lacks: AWS Lambda (Python runtime), CloudTrail,
Kubernetes audit, nginx, Envoy, haproxy, sudo/sshd auth syslog, Rails,
Django, Spring Boot, .NET console, klog, zap, pino, Python logging. The
report half (report_templates.py) covers the same layouts with other
templates, keys and phrasings; no template is shared. Fields come from
heldout_fields.py beside this file and from the generator itself.

Truth `format` values: lambda, json (CloudTrail, Kubernetes audit, pino,
zap JSON: every one parses), nginx, envoy, haproxy, authlog, rails,
django, spring, dotnet, klog, zap, pylog.
"""

import os
import sys

TAB = "\t"

# ---------------------------------------------------------------- Lambda
# Python runtime: "[LEVEL]\tTIMESTAMP\tREQUEST_ID\tmessage".
LAMBDA_START = "START RequestId: ${uuid} Version: $LATEST"
LAMBDA_END = "END RequestId: ${uuid:same}"
LAMBDA_REPORT = TAB.join([
    "REPORT RequestId: ${uuid:same}", "Duration: ${fms} ms",
    "${capsl:Billed Duration}: ${ims} ms",
    "${capsl:Memory Size}: ${memsize} MB",
    "${capsl:Max Memory Used}: ${memused} MB",
    "${capsl:Init Duration}: ${fms} ms", ""])
LAMBDA_REPORT_WARM = TAB.join([
    "REPORT RequestId: ${uuid:same}", "Duration: ${fms} ms",
    "${capsl:Billed Duration}: ${ims} ms",
    "${capsl:Memory Size}: ${memsize} MB",
    "${capsl:Max Memory Used}: ${memused} MB", ""])


def py(level):
    return "[%s]\t${ts:iso}\t${uuid:same}\t" % level


LAMBDA = [
    ("lambda", 2, [
        LAMBDA_START,
        py("INFO") + "Received checkout event for payer=${iname} "
        "amount=${amount} ${cur}",
        py("INFO") + "authorizing card=${card:grouped} cvv=${cvv}",
        LAMBDA_END, LAMBDA_REPORT]),
    ("lambda", 2, [
        LAMBDA_START,
        py("DEBUG") + "event: {'resource': '/payouts', 'httpMethod': "
        "'POST', 'headers': {'x-api-key': '${tok:b64_40}', 'Host': "
        "'api.example.com'}, 'requestContext': {'requestId': '${uuid}'}}",
        LAMBDA_END, LAMBDA_REPORT_WARM]),
    ("lambda", 1, [
        LAMBDA_START,
        py("INFO") + "SEPA transfer on behalf of ${iname} to "
        "${iban:spaced} scheduled",
        LAMBDA_END, LAMBDA_REPORT_WARM]),
    ("lambda", 1, [
        LAMBDA_START,
        py("WARNING") + "retrying with ach routing=${routing} "
        "account=${acct} after ${caps}",
        LAMBDA_END, LAMBDA_REPORT_WARM]),
    # clean
    ("lambda", 2, [
        LAMBDA_START,
        py("INFO") + "Processed ${num:1-3} records from queue "
        "payouts-${small} in ${ims} ms, ${capsl:Cold Start}: True",
        LAMBDA_END, LAMBDA_REPORT]),
    ("lambda", 1, [
        "INIT_START Runtime Version: python:3.12.v${num:1-2}\tRuntime "
        "Version ARN: arn:aws:lambda:us-east-1::runtime:${sha:64}",
        LAMBDA_START,
        py("INFO") + "Welcome to ${product}: handler ready, "
        "PWD=${path:/var/task} HOME=${path:/home/sbx_user1051}",
        LAMBDA_END, LAMBDA_REPORT]),
    ("lambda", 2, [
        LAMBDA_START,
        py("INFO") + "${label}: ${ims} ms, order ${order_id}, trace "
        "${xray}",
        LAMBDA_END, LAMBDA_REPORT_WARM]),
]

# ---------------------------------------------------- CloudTrail (JSON)
CT = ('{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole",'
      '"principalId":"${iamid:AROA}:ci-session","arn":"arn:aws:sts::'
      '${awsacct}:assumed-role/deployer/ci-session","accountId":'
      '"${awsacct}"},"eventTime":"${ts:iso_s}",')
CT_TAIL = (',"requestID":"${uuid}","eventID":"${uuid}","readOnly":false,'
           '"eventType":"AwsApiCall","managementEvent":true,'
           '"recipientAccountId":"${awsacct}"}')
CLOUDTRAIL = [
    ("json", 2, CT + '"eventSource":"lambda.amazonaws.com","eventName":'
     '"UpdateFunctionConfiguration20150331v2","awsRegion":"eu-west-1",'
     '"sourceIPAddress":"${ipv4}","userAgent":"aws-cli/2.15.${num:1-2}",'
     '"requestParameters":{"functionName":"payouts-worker","environment":'
     '{"variables":{"STRIPE_SECRET_KEY":"${tok:sk_live}","LOG_LEVEL":'
     '"info"}}}' + CT_TAIL),
    ("json", 2, '{"eventVersion":"1.09","userIdentity":{"type":"IAMUser",'
     '"principalId":"${iamid:AIDA}","arn":"arn:aws:iam::${awsacct}:user/'
     'ops","accountId":"${awsacct}","accessKeyId":"${tok:akia}",'
     '"userName":"ops"},"eventTime":"${ts:iso_s}","eventSource":'
     '"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":'
     '"us-east-1","sourceIPAddress":"${ipv4}","responseElements":'
     '{"accessKey":{"userName":"ci-deployer","status":"Active",'
     '"secretAccessKey":"${tok:aws_secret}","createDate":"${ts:iso_s}"}}'
     + CT_TAIL),
    ("json", 1, CT + '"eventSource":"iam.amazonaws.com","eventName":'
     '"TagUser","awsRegion":"us-east-1","sourceIPAddress":"${ipv4}",'
     '"requestParameters":{"userName":"contractor-${num:2-3}","tags":'
     '[{"key":"Owner","value":"${iname}"},{"key":"CostCenter","value":'
     '"${num:4-4}"}]}' + CT_TAIL),
    ("json", 1, CT + '"eventSource":"ssm.amazonaws.com","eventName":'
     '"PutParameter","awsRegion":"us-east-2","sourceIPAddress":"${ipv4}",'
     '"requestParameters":{"name":"/prod/payouts/routing","type":'
     '"String","value":"${routing}","overwrite":true}' + CT_TAIL),
    # clean
    ("json", 3, CT + '"eventSource":"secretsmanager.amazonaws.com",'
     '"eventName":"PutSecretValue","awsRegion":"eu-central-1",'
     '"sourceIPAddress":"${ipv4}","requestParameters":{"secretId":'
     '"prod/payments/db","secretString":"${dec:HIDDEN_DUE_TO_SECURITY_'
     'REASONS}","clientRequestToken":"${uuid}"},"responseElements":'
     'null' + CT_TAIL),
    ("json", 3, CT + '"eventSource":"sts.amazonaws.com","eventName":'
     '"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"${ipv4}",'
     '"userAgent":"Boto3/1.34.${num:1-2} Python/3.12.2","requestParameters":'
     '{"roleArn":"arn:aws:iam::${awsacct}:role/payouts","roleSessionName"'
     ':"payouts-${ts:epoch}","durationSeconds":3600}' + CT_TAIL),
    ("json", 3, '{"eventVersion":"1.10","userIdentity":{"type":"AWSService"'
     ',"invokedBy":"s3.amazonaws.com"},"eventTime":"${ts:iso_s}",'
     '"eventSource":"s3.amazonaws.com","eventName":"GetObject",'
     '"awsRegion":"us-west-2","sourceIPAddress":"s3.amazonaws.com",'
     '"requestParameters":{"bucketName":"acme-statements","key":'
     '"2024/03/${order_id}.pdf"},"additionalEventData":'
     '{"bytesTransferredIn":0,"bytesTransferredOut":${bytes}},'
     '"requestID":"${hex:16}","eventID":"${uuid}","readOnly":true,'
     '"recipientAccountId":"${awsacct}"}'),
]

# ------------------------------------------- Kubernetes audit (JSON)
K8S = ('{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":'
       '"RequestResponse","auditID":"${uuid}","stage":"ResponseComplete",')
K8S_TAIL = (',"requestReceivedTimestamp":"${tsx:k8s}","stageTimestamp":'
            '"${tsx:k8s}"}')
K8S_AUDIT = [
    ("json", 2, K8S + '"requestURI":"/api/v1/namespaces/payments/secrets",'
     '"verb":"create","user":{"username":"system:serviceaccount:ci:'
     'deployer","groups":["system:serviceaccounts"]},"sourceIPs":'
     '["${ipv4}"],"userAgent":"kubectl/v1.29.${small}","objectRef":'
     '{"resource":"secrets","namespace":"payments","name":"stripe",'
     '"apiVersion":"v1"},"responseStatus":{"code":201},"requestObject":'
     '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"stripe"},'
     '"type":"Opaque","data":{"api-key":"${b64tok:sk_live}"}}' + K8S_TAIL),
    ("json", 2, K8S + '"requestURI":"/api/v1/namespaces/payments/'
     'configmaps/payouts-env","verb":"patch","user":{"username":'
     '"oidc:u-${num:4-5}","groups":["payments-admins"],"extra":'
     '{"display_name":["${iname}"]}},"sourceIPs":["${ipv4}"],"objectRef":'
     '{"resource":"configmaps","namespace":"payments","name":'
     '"payouts-env"},"responseStatus":{"code":200},"requestObject":'
     '{"data":{"DATABASE_PASSWORD":"${tok:password}","POOL_SIZE":"20"}}'
     + K8S_TAIL),
    ("json", 1, K8S + '"requestURI":"/apis/payments.example.com/v1/'
     'namespaces/payouts/beneficiaries","verb":"create","user":'
     '{"username":"system:serviceaccount:payouts:api"},"sourceIPs":'
     '["${ipv4}"],"objectRef":{"resource":"beneficiaries","namespace":'
     '"payouts"},"responseStatus":{"code":201},"requestObject":{"spec":'
     '{"beneficiary":"${iname}","iban":"${iban:compact}"}}' + K8S_TAIL),
    # clean
    ("json", 4, K8S.replace("RequestResponse", "Metadata") +
     '"requestURI":"/api/v1/namespaces/payments/pods?limit=500&'
     'resourceVersion=${num:6-8}","verb":"list","user":{"username":'
     '"system:serviceaccount:kube-system:replicaset-controller","uid":'
     '"${uuid}"},"sourceIPs":["${ipv4}"],"userAgent":"kube-controller-'
     'manager/v1.29.2 (linux/amd64) kubernetes/${sha:7}","objectRef":'
     '{"resource":"pods","namespace":"payments"},"responseStatus":'
     '{"code":200}' + K8S_TAIL),
    ("json", 3, K8S.replace("RequestResponse", "Metadata") +
     '"requestURI":"/apis/coordination.k8s.io/v1/namespaces/kube-system/'
     'leases/payout-controller","verb":"update","user":{"username":'
     '"system:serviceaccount:payouts:controller"},"sourceIPs":["${ipv4}"]'
     ',"objectRef":{"resource":"leases","namespace":"kube-system","name":'
     '"payout-controller","resourceVersion":"${num:6-8}"},'
     '"responseStatus":{"code":${status}},"annotations":{"authorization.'
     'k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: '
     'allowed by ClusterRoleBinding"}' + K8S_TAIL),
]

# ---------------------------------------------------------------- nginx
NGX = '${ipv4} - - [${ts:apache}] '
NGINX = [
    ("nginx", 2, NGX + '"GET /api/v2/cards/verify?pan=${card:plain}&cvc2='
     '${cvv} HTTP/1.1" ${status} ${bytes} "-" "${ua}" ${secs3}'),
    ("nginx", 2, NGX + '"POST /hooks/inbound?access_key=${tok:hex40}&'
     'source=crm HTTP/1.1" ${status} ${bytes} "-" "${ua}" ${secs3}'),
    ("nginx", 1, '${ts:nginx} [error] ${pid}#${pid}: *${num:4-7} upstream '
     'timed out (110: Connection timed out) while reading response header '
     'from upstream, client: ${ipv4}, server: api.example.com, request: '
     '"POST /v1/payouts?iban=${iban:compact}&amount=${amount} HTTP/1.1", '
     'upstream: "http://${ipv4}:${port}/v1/payouts", host: '
     '"api.example.com"'),
    ("nginx", 1, NGX + '"GET /account/statements HTTP/2.0" ${status} '
     '${bytes} "https://bank.example/" "${ua}" rt=${secs3} '
     'auth="Bearer ${tok:jwt}"'),
    # clean
    ("nginx", 5, NGX + '"GET /static/js/app.${hexp:8}.js HTTP/2.0" '
     '${status} ${bytes} "https://shop.example/" "${ua}" ${secs3}'),
    ("nginx", 3, NGX + '"GET /orders/${order_id}/receipt?page=${small} '
     'HTTP/1.1" ${status} ${bytes} "-" "${ua}" ${secs3}'),
    ("nginx", 2, '${ts:nginx} [warn] ${pid}#${pid}: *${num:4-7} an upstream'
     ' response is buffered to a temporary file /var/cache/nginx/proxy_'
     'temp/${num:1-2}/${num:2-2}/${num:10-10} while reading upstream, '
     'client: ${ipv4}, server: shop.example, request: "GET /exports/'
     '${uuid}.csv HTTP/1.1"'),
]

# ---------------------------------------------------------------- Envoy
ENVOY = [
    ("envoy", 2, '[${ts:iso}] "POST /v1/tokens?api_key=${tok:b64url_43} '
     'HTTP/1.1" ${status} - via_upstream - "-" ${bytes} ${bytes} ${ims} '
     '${ims} "${ipv4}" "${ua}" "${uuid}" "payments.internal" '
     '"${ipv4}:${port}"'),
    ("envoy", 1, '[${ts:iso}] "GET /v1/payouts/${obj:po} HTTP/2" ${status} '
     '- ${bytes} ${bytes} ${ims} "${ipv4}" "${uuid}" authz="Bearer '
     '${tok:sk_live}"'),
    # clean
    ("envoy", 4, '[${ts:iso}] "POST /payments.v1.Charges/Create HTTP/2" '
     '${status} - via_upstream - "-" ${bytes} ${bytes} ${ims} ${ims} '
     '"${ipv4}" "grpc-go/1.62.${small}" "${uuid}" "payments.internal:'
     '${port}" "${ipv4}:${port}"'),
    ("envoy", 2, '[${ts:iso}] "GET /healthz HTTP/1.1" 503 UF,URX '
     'upstream_reset_before_response_started{connection_failure} - "-" 0 '
     '${bytes} ${ims} - "${ipv4}" "Envoy/HC" "${uuid}" "checkout:${port}" '
     '"${ipv4}:${port}"'),
]

# -------------------------------------------------------------- haproxy
HAP = ('${ts:syslog} ${host} haproxy[${pid}]: ${ipv4}:${port} '
       '[${tsx:haproxy}] https-in~ api_back/web-${small} ${hatimers} '
       '${status} ${bytes} - - ---- ${haconns} 0/0 ')
HAPROXY = [
    ("haproxy", 2, HAP + '{api.example.com|Bearer ${tok:sk_live}} '
     '"POST /v1/charges HTTP/1.1"'),
    ("haproxy", 1, HAP + '"GET /v1/cards/lookup?number=${card:plain}'
     '&exp=${exp} HTTP/1.1"'),
    # clean
    ("haproxy", 5, HAP + '{api.example.com|${ua}} "GET /v1/orders/'
     '${order_id} HTTP/1.1"'),
    ("haproxy", 2, '${ts:syslog} ${host} haproxy[${pid}]: ${ipv4}:${port} '
     '[${tsx:haproxy}] pg-in pg_back/db-${small} 1/0/${ims} ${bytes} -- '
     '${haconns} 0/0'),
    ("haproxy", 1, '${ts:syslog} ${host} haproxy[${pid}]: Server '
     'api_back/web-${small} is DOWN, reason: ${capsl:Layer4} connection '
     'problem, info: "Connection refused", check duration: ${ims}ms. '
     '${small} active and 0 backup servers left. 0 sessions active, 0 '
     'requeued, 0 remaining in queue.'),
]

# ------------------------------------------------- sudo / sshd (auth)
SUDO = '${ts:syslog} ${host} sudo:   ${user} : TTY=pts/${small} ; '
AUTHLOG = [
    ("authlog", 2, SUDO + 'PWD=${path} ; USER=root ; COMMAND=/usr/bin/'
     'mysql --user=payments --password=${tok:password} -e "select 1"'),
    ("authlog", 1, SUDO + 'PWD=${path} ; USER=root ; COMMAND=/usr/bin/env '
     'STRIPE_API_KEY=${tok:sk_live} /srv/payments/bin/reconcile --since '
     '${ts:iso_s}'),
    ("authlog", 1, SUDO + 'PWD=${path:/home/deploy} ; USER=root ; '
     'COMMAND=/usr/sbin/useradd -m -c ${iname} contractor${small}'),
    # clean
    ("authlog", 5, SUDO + 'PWD=${path} ; USER=root ; COMMAND=/usr/bin/'
     'systemctl restart payouts-worker'),
    ("authlog", 3, '${ts:syslog} ${host} sudo: pam_unix(sudo:session): '
     'session opened for user root(uid=0) by ${user}(uid=${num:4-4})'),
    ("authlog", 3, '${ts:syslog} ${host} sshd[${pid}]: Accepted publickey '
     'for ${user} from ${ipv4} port ${port} ssh2: ED25519 SHA256:${fp}'),
    ("authlog", 2, '${ts:syslog} ${host} sshd[${pid}]: Connection closed by '
     '${dec:authenticating user} root ${ipv4} port ${port} [preauth]'),
]

# ---------------------------------------------------------------- Rails
RB = "I, [${tsx:rubylog} #${pid}]  INFO -- : [${uuid:same}] "
RBD = "D, [${tsx:rubylog} #${pid}] DEBUG -- : [${uuid:same}] "
RB_START = ("I, [${tsx:rubylog} #${pid}]  INFO -- : [${uuid}] Started "
            "%s for ${ipv4} at ${tsx:rails}")
RAILS = [
    ("rails", 2, [
        RB_START % 'POST "/checkout/payments"',
        RB + "Processing by PaymentsController#create as HTML",
        RB + '  Parameters: {"authenticity_token"=>"${dec:[FILTERED]}", '
        '"payment"=>{"card_number"=>"${card}", "verification_value"=>'
        '"${cvv}", "holder"=>"${iname}"}, "commit"=>"Pay now"}',
        RB + "Redirected to https://shop.example/orders/${order_id}",
        RB + "Completed 302 Found in ${ims}ms (ActiveRecord: ${fms}ms | "
        "Allocations: ${num:4-5})"]),
    ("rails", 2, [
        RB_START % 'POST "/settings/bank_account"',
        RB + "Processing by BankAccountsController#update as TURBO_STREAM",
        RBD + '  ${capsl:BankAccount Update} (${fms}ms)  UPDATE '
        '"bank_accounts" SET "iban" = $1, "owner_name" = $2 WHERE '
        '"bank_accounts"."id" = $3  [["iban", "${iban:compact}"], '
        '["owner_name", "${iname}"], ["id", ${num:3-6}]]',
        RB + "Completed 200 OK in ${ims}ms (Views: ${fms}ms | "
        "ActiveRecord: ${fms}ms | Allocations: ${num:4-5})"]),
    ("rails", 1, RB.replace("${uuid:same}", "${uuid}") +
     'Shipping label created: shipping to ${iname}, ${place} ${num:1-3}'),
    # clean
    ("rails", 2, [
        RB_START % 'GET "/orders/${order_id}"',
        RB + "Processing by OrdersController#show as HTML",
        RB + '  Parameters: {"id"=>"${order_id}"}',
        RBD + "  ${capsl:User Load} (${fms}ms)  SELECT \"users\".* FROM "
        "\"users\" WHERE \"users\".\"id\" = $1 LIMIT $2  [[\"id\", "
        "${num:2-6}], [\"LIMIT\", 1]]",
        RB + "  Rendered layout layouts/application.html.erb (Duration: "
        "${fms}ms | Allocations: ${num:4-5})",
        RB + "Completed 200 OK in ${ims}ms (Views: ${fms}ms | "
        "ActiveRecord: ${fms}ms | Allocations: ${num:4-5})"]),
    ("rails", 2, RB.replace("${uuid:same}", "${uuid}") +
     "Shipping label created: shipping to ${place}, parcel ${order_id}"),
]

# --------------------------------------------------------------- Django
# "{levelname} {asctime} {module} {process:d} {thread:d} {message}"
DJ = "%s ${ts:log4j} %s ${pid} ${num:12-15} "
DJANGO = [
    ("django", 2, DJ % ("INFO", "views") + "Transfer created: payee="
     "${iname} account_number=${acct} routing_number=${routing}"),
    ("django", 2, DJ % ("DEBUG", "utils") + '(${secs3}) INSERT INTO '
     '"billing_payout" ("beneficiary", "iban", "amount") VALUES (%s, %s, '
     '%s) RETURNING "billing_payout"."id"; args=(\'${iname_sq}\', '
     "'${iban:compact}', Decimal('${amount}')); alias=default"),
    ("django", 1, DJ % ("WARNING", "views") + "card rejected for "
     "cardholder ${iname}: ${card:dashed} (${caps})"),
    ("django", 1, DJ % ("INFO", "auth") + "session refreshed, signed in "
     "as ${iname} from ${ipv4}"),
    # clean
    ("django", 4, '[${tsx:django}] "POST /api/transfers/ HTTP/1.1" '
     '${status} ${bytes}'),
    ("django", 3, DJ % ("WARNING", "log") + "Unauthorized: /api/v1/payouts/"
     "${num:3-6}/"),
    ("django", 2, DJ % ("INFO", "auth") + "session refreshed, signed in "
     "as ${team} from ${ipv4}"),
    ("django", 2, DJ % ("DEBUG", "utils") + '(${secs3}) SELECT '
     '"orders_order"."id", "orders_order"."total" FROM "orders_order" '
     'WHERE "orders_order"."reference" = %s LIMIT 21; args=('
     "'${order_id}',); alias=default"),
]

# ---------------------------------------------------------- Spring Boot
SB = ("${tsx:spring}  %s ${pid} --- [payouts] [nio-8080-exec-${small}] "
      "%-40s : ")
SPRING = [
    ("spring", 2, SB % ("INFO", "c.a.payouts.web.PayoutController") +
     "Creating payout PayoutRequest(beneficiaryName=${iname}, "
     "iban=${iban}, amount=${amount}, currency=EUR, "
     "reference=${order_id})"),
    ("spring", 2, SB % ("DEBUG", "o.s.web.filter.CommonsRequestLogging"
                              "Filter") +
     "Before request [POST /v1/payouts, headers=[host:\"api.internal:"
     "8080\", authorization:\"Bearer ${tok:jwt}\", x-request-id:"
     "\"${uuid}\"]]"),
    ("spring", 2, SB % ("WARN", "c.a.checkout.CardValidator") +
     "Validation failed for CardDetails(number=${card}, expiry=${exp}, "
     "cvc=${cvv}): ${caps}"),
    ("spring", 1, SB % ("INFO", "c.a.approvals.ApprovalService") +
     "Refund ${obj:re} approved by ${iname} (limit ${amount} EUR)"),
    ("spring", 1, SB % ("INFO", "c.a.config.EnvDump") +
     "Environment: HOME=${path:/root} PWD=${path} SPRING_DATASOURCE_"
     "PASSWORD=${tok:password} JAVA_VERSION=${ver}"),
    # clean
    ("spring", 3, "${tsx:spring}  INFO ${pid} --- [payouts] [           "
     "main] c.a.payouts.PayoutsApplication           : Started "
     "PayoutsApplication in ${secs3} seconds (process running for "
     "${secs3})"),
    ("spring", 3, SB % ("INFO", "com.zaxxer.hikari.HikariDataSource") +
     "HikariPool-${small} - Start completed."),
    ("spring", 2, SB % ("INFO", "c.a.approvals.ApprovalService") +
     "Refund ${obj:re} approved by ${team} (limit ${amount} EUR)"),
    ("spring", 2, SB % ("INFO", "c.a.config.EnvDump") +
     "Environment: HOME=${path:/root} PWD=${path} OLDPWD=${path} "
     "JAVA_VERSION=${ver} SPRING_PROFILES_ACTIVE=prod"),
    ("spring", 2, SB % ("INFO", "o.s.b.a.e.web.EndpointLinksResolver") +
     "Exposing ${num:1-2} endpoint(s) beneath base path '/actuator'"),
]

# ---------------------------------------------------- .NET console logs
NET = "      "
DOTNET = [
    ("dotnet", 2, ["info: Acme.Payouts.PayoutService[1001]",
                   NET + "Payout ${obj:po} queued for beneficiary ${iname}"
                   ", IBAN ${iban}"]),
    ("dotnet", 2, ["info: Microsoft.AspNetCore.Hosting.Diagnostics[1]",
                   NET + "Request starting HTTP/1.1 POST http://api.internal"
                   ":5000/v1/charges?apiKey=${tok:hex32} - application/json "
                   "${bytes}"]),
    ("dotnet", 1, ["info: Acme.Web.Pages.IndexModel[0]",
                   NET + "Rendering greeting 'Welcome back, ${iname_sq}!' "
                   "for request ${hex:16}"]),
    ("dotnet", 1, ["fail: Acme.Billing.CardCharger[500]",
                   NET + "Charge failed for card ${card:spaced} (CVV "
                   "${cvv}): ${caps}"]),
    # clean
    ("dotnet", 4, ["info: Microsoft.AspNetCore.Hosting.Diagnostics[2]",
                   NET + "Request finished HTTP/1.1 GET http://api.internal"
                   ":5000/health - ${status} - text/plain ${fms}ms"]),
    ("dotnet", 2, ["info: Microsoft.Hosting.Lifetime[14]",
                   NET + "Now listening on: http://[::]:${port}"]),
    ("dotnet", 2, ["warn: Microsoft.AspNetCore.DataProtection.KeyManagement"
                   ".XmlKeyManager[35]",
                   NET + "No XML encryptor configured. Key {${uuid}} may be "
                   "persisted to storage in unencrypted form."]),
    ("dotnet", 2, ["info: Acme.Web.Pages.IndexModel[0]",
                   NET + "Rendering greeting 'Welcome back to ${product}!' "
                   "for request ${hex:16}"]),
]

# ----------------------------------------------------------------- klog
KL = "%s${ts:klog}   ${pid} %s:${lineno}] "
KLOG = [
    ("klog", 2, KL % ("I", "payout_controller.go") + '"Reconciling payout" '
     'payout="payouts/${obj:po}" beneficiary="${iname}" iban='
     '"${iban:compact}"'),
    ("klog", 1, KL % ("W", "webhook.go") + "using static token "
     "${tok:b64url_43} for webhook ${uuid}"),
    # clean
    ("klog", 4, KL % ("I", "leaderelection.go") + "attempting to acquire "
     "leader lease payouts/payout-controller..."),
    ("klog", 3, KL % ("E", "reflector.go") + "k8s.io/client-go/informers/"
     "factory.go:${lineno}: Failed to watch *v1.Secret: the server could "
     "not find the requested resource"),
    ("klog", 2, KL % ("I", "payout_controller.go") + '"Reconciled" '
     'payout="payouts/${obj:po}" duration="${dur}" resourceVersion='
     '"${num:6-8}"'),
]

# ------------------------------------------------------------------ zap
ZAP = [
    ("zap", 2, "${ts:iso}\tINFO\tpayout/worker.go:${lineno}\tpayout sent"
     '\t{"payee": "${iname}", "iban": "${iban}", "amount_cents": '
     "${cents}}"),
    ("json", 2, '{"level":"info","ts":${tsx:zapf},"caller":"checkout/'
     'handler.go:${lineno}","msg":"card authorized","cardholder_name":'
     '"${iname}","pan":"${card:plain}","cvc":"${cvv}"}'),
    # clean
    ("zap", 3, "${ts:iso}\tDEBUG\tpayout/worker.go:${lineno}\tbatch "
     'flushed\t{"count": ${num:1-3}, "elapsed": "${dur}", "trace_id": '
     '"${hex:32}"}'),
    ("json", 3, '{"level":"warn","ts":${tsx:zapf},"caller":"checkout/'
     'handler.go:${lineno}","msg":"${caps}","order":"${order_id}",'
     '"attempt":${small},"latency":"${dur}"}'),
]

# ----------------------------------------------------------------- pino
PINO = [
    ("json", 2, '{"level":30,"time":${ts:epochms},"pid":${pid},"hostname":'
     '"${pod}","req":{"id":${num:1-4},"method":"POST","url":"/api/checkout"'
     ',"headers":{"host":"shop.example","authorization":"Bearer '
     '${tok:jwt}","user-agent":"${ua}"},"remoteAddress":"${ipv4}",'
     '"remotePort":${port}},"msg":"request received"}'),
    ("json", 2, '{"level":30,"time":${ts:epochms},"pid":${pid},"hostname":'
     '"${pod}","customer":{"id":"${obj:cus}","full_name":"${iname}",'
     '"email_verified":true},"msg":"customer synced"}'),
    ("json", 1, '{"level":40,"time":${ts:epochms},"pid":${pid},"hostname":'
     '"${pod}","msg":"Welcome back, ${iname}! Your saved card ending '
     '${last4} expires soon"}'),
    # clean
    ("json", 4, '{"level":30,"time":${ts:epochms},"pid":${pid},"hostname":'
     '"${pod}","req":{"id":${num:1-4},"method":"GET","url":"/api/orders/'
     '${order_id}"},"res":{"statusCode":${status}},"responseTime":${ims},'
     '"msg":"request completed"}'),
    ("json", 2, '{"level":30,"time":${ts:epochms},"pid":${pid},"hostname":'
     '"${pod}","msg":"Welcome back to ${product}! Release ${ver}"}'),
]

# ------------------------------------------------------- Python logging
PYL = "${tsx:pyasc} - %s - %s - "
PYLOG = [
    ("pylog", 2, PYL % ("payments.gateway", "INFO") + "submitting "
     "{'card_number': '${card:plain}', 'cvc': '${cvv}', "
     "'cardholder_name': ${iname_py}}"),
    ("pylog", 2, PYL % ("payments.profile", "DEBUG") + "profile loaded: "
     "given_name=${given} family_name=${family} locale=de_DE"),
    ("pylog", 1, PYL % ("payments.sepa", "INFO") + "mandate signed on "
     "behalf of ${iname} for ${iban}"),
    ("pylog", 1, PYL % ("payments.oauth", "DEBUG") + "token refresh ok: "
     "refresh_token=${tok:b64url_43} expires_in=3600"),
    # clean
    ("pylog", 4, PYL % ("payments.worker", "INFO") + "${label}: ${ims} ms "
     "(${num:1-3} jobs, queue ${uuid})"),
    ("pylog", 2, PYL % ("payments.sepa", "INFO") + "mandate signed on "
     "behalf of ${team} for batch ${num:4-6}"),
    ("pylog", 2, PYL % ("payments.oauth", "DEBUG") + "token refresh ok: "
     "token_type=${dec:Bearer} expires_in=3600 scope=payments:read"),
]


def load(api):
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    import heldout_fields
    return {"fields": heldout_fields.fields(api),
            "templates": LAMBDA + CLOUDTRAIL + K8S_AUDIT + NGINX + ENVOY +
            HAPROXY + AUTHLOG + RAILS + DJANGO + SPRING + DOTNET + KLOG +
            ZAP + PINO + PYLOG}
