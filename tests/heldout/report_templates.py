"""Held-out template family, half "report": report figures on this one,
never tune on it.

    python3 ../shared/tools/gen_corpus.py \
        --templates tests/heldout/report_templates.py --seed 2 \
        --lines 20000 --out /tmp/heldout-report

The same layouts as tune_templates.py (AWS Lambda, CloudTrail,
Kubernetes audit, nginx, Envoy, haproxy, sudo/sshd auth syslog, Rails,
Django, Spring Boot, .NET, klog, zap, pino, Python logging), written with
other templates, runtimes, keys and phrasings: Lambda's Node runtime and
X-Ray REPORT lines, CloudTrail ECS/Cognito/STS events, nginx and Envoy
JSON access logs, Hibernate parameter binding, EF Core sensitive data
logging, the systemd and JSON .NET console formatters, urllib3 and
werkzeug lines, and so on. Fields come from heldout_fields.py.

Truth `format` values: lambda, json, nginx, envoy, haproxy, authlog,
rails, django, spring, dotnet, klog, zap, pylog.
"""

import os
import sys

TAB = "\t"

# ---------------------------------------------------------------- Lambda
# Node.js runtime: "TIMESTAMP\tREQUEST_ID\tLEVEL\tmessage".
L_START = "START RequestId: ${uuid} Version: ${num:1-2}"
L_END = "END RequestId: ${uuid:same}"
L_REPORT_XRAY = TAB.join([
    "REPORT RequestId: ${uuid:same}", "Duration: ${fms} ms",
    "${capsl:Billed Duration}: ${ims} ms",
    "${capsl:Memory Size}: ${memsize} MB",
    "${capsl:Max Memory Used}: ${memused} MB", "",
    "XRAY TraceId: ${xray}", "SegmentId: ${hex:16}", "Sampled: true", ""])
L_REPORT_SNAP = TAB.join([
    "REPORT RequestId: ${uuid:same}", "Duration: ${fms} ms",
    "${capsl:Billed Duration}: ${ims} ms",
    "${capsl:Memory Size}: ${memsize} MB",
    "${capsl:Max Memory Used}: ${memused} MB",
    "${capsl:Restore Duration}: ${fms} ms",
    "${capsl:Billed Restore Duration}: ${ims} ms", ""])


def node(level):
    return "${ts:iso}\t${uuid:same}\t%s\t" % level


LAMBDA = [
    ("lambda", 1, [
        L_START,
        node("INFO") + r'incoming event {"body":"{\"recipientName\":\"'
        r'${iname}\",\"accountNumber\":\"${acct}\",\"routingNumber\":\"'
        r'${routing}\"}","isBase64Encoded":false}',
        L_END, L_REPORT_XRAY]),
    ("lambda", 1, [
        L_START,
        node("ERROR") + 'Invoke Error \t{"errorType":"CardError",'
        '"errorMessage":"card ${card:dashed} declined, cvc ${cvv}",'
        '"stack":["CardError: declined","    at charge (/var/task/'
        'index.js:${lineno}:11)"]}',
        L_END, L_REPORT_SNAP]),
    ("lambda", 1, [
        L_START,
        node("INFO") + "logged in as ${iname} (tenant ${obj:acct})",
        node("DEBUG") + "using x-api-key ${tok:alnum_40}",
        L_END, L_REPORT_XRAY]),
    # clean
    ("lambda", 2, [
        L_START,
        node("INFO") + "logged in as ${team} (tenant ${obj:acct})",
        L_END, L_REPORT_XRAY]),
    ("lambda", 2, [
        L_START,
        node("INFO") + "${label}: ${ims} ms; ${capsl:Items Written}: "
        "${num:1-3}; order ${order_id}",
        L_END, L_REPORT_SNAP]),
    ("lambda", 1, [
        "INIT_START Runtime Version: nodejs:20.v${num:1-2}\tRuntime "
        "Version ARN: arn:aws:lambda:eu-west-1::runtime:${sha:64}",
        L_START,
        node("INFO") + "env PWD=${path:/var/task} OLDPWD=${path:/} "
        "HOME=${path:/home/sbx_user1051} LAMBDA_TASK_ROOT=/var/task",
        L_END, L_REPORT_XRAY]),
]

# ---------------------------------------------------- CloudTrail (JSON)
CT = ('{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole",'
      '"principalId":"${iamid:AROA}:gh-actions","arn":"arn:aws:sts::'
      '${awsacct}:assumed-role/github-oidc/gh-actions","accountId":'
      '"${awsacct}","sessionContext":{"attributes":{"creationDate":'
      '"${ts:iso_s}","mfaAuthenticated":"false"}}},"eventTime":'
      '"${ts:iso_s}",')
CT_TAIL = (',"requestID":"${uuid}","eventID":"${uuid}","eventType":'
           '"AwsApiCall","recipientAccountId":"${awsacct}","tlsDetails":'
           '{"tlsVersion":"TLSv1.3","clientProvidedHostHeader":'
           '"ecs.eu-west-1.amazonaws.com"}}')
CLOUDTRAIL = [
    ("json", 2, CT + '"eventSource":"ecs.amazonaws.com","eventName":'
     '"RegisterTaskDefinition","awsRegion":"eu-west-1","sourceIPAddress":'
     '"${ipv4}","requestParameters":{"family":"payouts","containerDefinit'
     'ions":[{"name":"app","image":"${awsacct}.dkr.ecr.eu-west-1.amazonaws'
     '.com/payouts:${sha:12}","environment":[{"name":"DB_PASSWORD",'
     '"value":"${tok:password}"},{"name":"PORT","value":"${port}"}]}]}'
     + CT_TAIL),
    ("json", 1, CT + '"eventSource":"sts.amazonaws.com","eventName":'
     '"GetSessionToken","awsRegion":"us-east-1","sourceIPAddress":'
     '"${ipv4}","responseElements":{"credentials":{"accessKeyId":'
     '"${tok:asia}","sessionToken":"${awssess}","expiration":"${ts:iso_s}"'
     '}}' + CT_TAIL),
    ("json", 2, CT + '"eventSource":"cognito-idp.amazonaws.com",'
     '"eventName":"AdminCreateUser","awsRegion":"eu-central-1",'
     '"sourceIPAddress":"${ipv4}","requestParameters":{"userPoolId":'
     '"eu-central-1_${hexp:9}","userAttributes":[{"name":"given_name",'
     '"value":"${given}"},{"name":"family_name","value":"${family}"},'
     '{"name":"custom:tier","value":"gold"}]}' + CT_TAIL),
    # clean
    ("json", 3, '{"eventVersion":"1.09","userIdentity":{"type":"IAMUser",'
     '"principalId":"${iamid:AIDA}","arn":"arn:aws:iam::${awsacct}:user/'
     'ops","accountId":"${awsacct}","userName":"ops"},"eventTime":'
     '"${ts:iso_s}","eventSource":"signin.amazonaws.com","eventName":'
     '"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"${ipv4}",'
     '"userAgent":"${ua}","responseElements":{"ConsoleLogin":"Success"},'
     '"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/",'
     '"MobileVersion":"No","MFAUsed":"Yes"},"eventID":"${uuid}",'
     '"recipientAccountId":"${awsacct}"}'),
    ("json", 3, CT + '"eventSource":"kms.amazonaws.com","eventName":'
     '"Decrypt","awsRegion":"eu-west-1","sourceIPAddress":'
     '"ecs.amazonaws.com","requestParameters":{"encryptionAlgorithm":'
     '"SYMMETRIC_DEFAULT","encryptionContext":{"SecretARN":"arn:aws:'
     'secretsmanager:eu-west-1:${awsacct}:secret:prod/db-password-'
     '${hexp:6}"}},"resources":[{"ARN":"arn:aws:kms:eu-west-1:${awsacct}:'
     'key/${uuid}","type":"AWS::KMS::Key"}]' + CT_TAIL),
    ("json", 2, CT + '"eventSource":"ec2.amazonaws.com","eventName":'
     '"DescribeInstances","awsRegion":"eu-west-1","sourceIPAddress":'
     '"${ipv4}","userAgent":"aws-sdk-go-v2/1.25.${small}","requestParameters"'
     ':{"maxResults":${num:2-3},"instancesSet":{}},"responseElements":null'
     + CT_TAIL),
]

# ------------------------------------------- Kubernetes audit (JSON)
KA = ('{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request",'
      '"auditID":"${uuid}","stage":"ResponseComplete",')
KA_TAIL = (',"requestReceivedTimestamp":"${tsx:k8s}","stageTimestamp":'
           '"${tsx:k8s}","annotations":{"authorization.k8s.io/decision":'
           '"allow"}}')
K8S_AUDIT = [
    ("json", 2, KA + '"requestURI":"/api/v1/namespaces/billing/secrets/'
     'db","verb":"update","user":{"username":"admin@example.com"},'
     '"sourceIPs":["${ipv4}"],"objectRef":{"resource":"secrets",'
     '"namespace":"billing","name":"db"},"responseStatus":{"code":200},'
     '"requestObject":{"kind":"Secret","stringData":{"password":'
     '"${tok:password}"},"metadata":{"annotations":{"kubectl.kubernetes.io'
     r'/last-applied-configuration":"{\"apiVersion\":\"v1\",\"data\":'
     r'{\"token\":\"${tok:ghp}\"},\"kind\":\"Secret\"}\n"}}}' + KA_TAIL),
    ("json", 1, KA + '"requestURI":"/api/v1/namespaces/billing/pods",'
     '"verb":"create","user":{"username":"system:serviceaccount:argocd:'
     'argocd-application-controller"},"sourceIPs":["${ipv4}"],'
     '"objectRef":{"resource":"pods","namespace":"billing"},'
     '"responseStatus":{"code":201},"requestObject":{"spec":{"containers"'
     ':[{"name":"app","env":[{"name":"AWS_SECRET_ACCESS_KEY","value":'
     '"${tok:aws_secret}"},{"name":"GOMAXPROCS","value":"2"}]}]}}'
     + KA_TAIL),
    ("json", 1, KA + '"requestURI":"/api/v1/namespaces/billing/configmaps",'
     '"verb":"create","user":{"username":"system:serviceaccount:billing:'
     'onboarding"},"sourceIPs":["${ipv4}"],"objectRef":{"resource":'
     '"configmaps","namespace":"billing","name":"payee-${num:3-5}"},'
     '"responseStatus":{"code":201},"requestObject":{"data":'
     '{"account_holder":"${iname}","routing_number":"${routing}",'
     '"account_number":"${acct}"}}' + KA_TAIL),
    # clean
    ("json", 4, KA.replace('"Request"', '"Metadata"') + '"requestURI":'
     '"/api/v1/namespaces/billing/secrets/stripe-api-key","verb":"get",'
     '"user":{"username":"system:serviceaccount:billing:api","uid":'
     '"${uuid}"},"sourceIPs":["${ipv4}"],"userAgent":"payouts/${ver}",'
     '"objectRef":{"resource":"secrets","namespace":"billing","name":'
     '"${dec:stripe-api-key}","apiVersion":"v1"},"responseStatus":'
     '{"code":${status}}' + KA_TAIL),
    ("json", 3, KA.replace('"Request"', '"Metadata"') + '"requestURI":'
     '"/api/v1/nodes/ip-${num:2-3}-${num:1-3}?timeout=10s","verb":"patch",'
     '"user":{"username":"system:node:ip-${num:2-3}"},"sourceIPs":'
     '["${ipv4}"],"userAgent":"kubelet/v1.29.${small}","objectRef":'
     '{"resource":"nodes","subresource":"status"},"responseStatus":'
     '{"code":200},"latency":"${dur}"' + KA_TAIL),
]

# ---------------------------------------------------------------- nginx
NGXJ = ('{"time_local":"${ts:apache}","remote_addr":"${ipv4}","request":'
        '"%s","status":"${status}","body_bytes_sent":"${bytes}",'
        '"request_time":"${secs3}","http_user_agent":"${ua}"}')
NGINX = [
    ("json", 2, NGXJ % "GET /auth/callback?state=${hexp:16}&id_token="
     "${tok:jwt} HTTP/1.1"),
    ("nginx", 2, '${ipv4} - - [${ts:apache}] "POST /ach/verify?acct='
     '${acct}&rtn=${routing} HTTP/1.1" ${status} ${bytes} "-" "${ua}" '
     'upstream_response_time=${secs3}'),
    ("nginx", 1, '${ipv4} - - [${ts:apache}] "GET /pay/confirm?'
     'card_number=${card:dashed}&security_code=${cvv} HTTP/1.1" ${status} '
     '${bytes} "-" "${ua}" upstream_response_time=${secs3}'),
    ("nginx", 1, '${ts:nginx} [error] ${pid}#${pid}: *${num:4-7} FastCGI '
     'sent in stderr: "PHP message: login failed user=${user} password='
     '${tok:password}" while reading response header from upstream, '
     'client: ${ipv4}, server: portal.example'),
    # clean
    ("json", 3, NGXJ % "GET /api/v1/orders/${order_id}?expand=items "
     "HTTP/2.0"),
    ("nginx", 4, '${ipv4} - - [${ts:apache}] "GET /img/${hexp:12}.webp '
     'HTTP/2.0" ${status} ${bytes} "https://portal.example/" "${ua}" '
     'upstream_response_time=${secs3}'),
    ("nginx", 2, '${ts:nginx} [error] ${pid}#${pid}: *${num:4-7} client '
     'intended to send too large body: ${bytes} bytes, client: ${ipv4}, '
     'server: portal.example, request: "POST /upload HTTP/1.1"'),
]

# ---------------------------------------------------------------- Envoy
ENVOYJ = ('{"start_time":"${ts:iso}","method":"%s","path":"%s",'
          '"protocol":"HTTP/1.1","response_code":${status},'
          '"response_flags":"-","bytes_received":${bytes},"bytes_sent":'
          '${bytes},"duration":${ims},"upstream_cluster":"outbound|'
          '${port}||payouts.billing.svc.cluster.local","x_forwarded_for":'
          '"${ipv4}","request_id":"${uuid}"%s}')
ENVOY = [
    ("json", 2, ENVOYJ % ("POST", "/v2/payouts", ',"x_api_key":'
                          '"${tok:generic}"')),
    ("envoy", 1, '[${ts:iso}] "GET /account HTTP/1.1" ${status} - '
     '${bytes} ${bytes} ${ims} ${ims} "${ipv4}" "${ua}" "${uuid}" '
     '"portal.example" "${ipv4}:${port}" cookie="sid=${tok:session}"'),
    ("envoy", 1, '[${ts:iso}] "POST /v2/refunds?access_token=${tok:ghp} '
     'HTTP/2" ${status} - ${bytes} ${bytes} ${ims} ${ims} "${ipv4}" '
     '"${ua}" "${uuid}" "payouts" "${ipv4}:${port}"'),
    # clean
    ("json", 3, ENVOYJ % ("GET", "/v2/payouts/${obj:po}", "")),
    ("envoy", 3, '[${ts:iso}] "GET /payouts.v2.Ledger/Balance HTTP/2" 200 '
     'NR 0 0 0 - "${ipv4}" "grpc-java-netty/1.62.${small}" "${uuid}" '
     '"ledger:${port}" "-" grpc_status=${small}'),
]

# -------------------------------------------------------------- haproxy
HP = ('${ts:syslog} ${host} haproxy[${pid}]: ${ipv4}:${port} '
      '[${tsx:haproxy}] fe_public be_payouts/srv${small} ${hatimers} '
      '${status} ${bytes} - - --NI ${haconns} 0/0 ')
HAPROXY = [
    ("haproxy", 2, HP + '{Basic ${tok:basic}|payouts.example} '
     '"POST /v2/payouts HTTP/1.1"'),
    ("haproxy", 1, HP + '"GET /v2/transfer?iban=${iban:compact}&fmt=json '
     'HTTP/1.1"'),
    ("haproxy", 1, HP + '"GET /v2/export?token=${tok:hex64} HTTP/1.1"'),
    # clean
    ("haproxy", 5, HP + '{-|payouts.example} "GET /v2/payouts/'
     '${obj:po}?page=${small} HTTP/1.1"'),
    ("haproxy", 2, '${ts:syslog} ${host} haproxy[${pid}]: Proxy be_payouts '
     'started.'),
    ("haproxy", 1, '${ts:syslog} ${host} haproxy[${pid}]: backend '
     'be_payouts has no server available!'),
]

# ------------------------------------------------- sudo / sshd (auth)
SU = '${ts:syslog} ${host} sudo: ${user} : TTY=pts/${small} ; '
AUTHLOG = [
    ("authlog", 2, SU + 'PWD=${path} ; USER=postgres ; COMMAND=/usr/bin/'
     'psql postgresql://app:${tok:alnum_32}@db.internal:5432/payments'),
    ("authlog", 1, SU + 'PWD=${path} ; USER=root ; COMMAND=/usr/bin/curl '
     '-H Authorization: token ${tok:ghp} https://api.github.com/user'),
    ("authlog", 1, SU + 'PWD=${path} ; USER=root ; COMMAND=/usr/bin/chfn '
     '-f ${iname} contractor${small}'),
    # clean
    ("authlog", 3, '${ts:syslog} ${host} sudo: ${user} : ${dec:3 incorrect '
     'password attempts} ; TTY=pts/${small} ; PWD=${path} ; USER=root ; '
     'COMMAND=/bin/bash'),
    ("authlog", 3, SU + 'PWD=${path} ; USER=root ; ENV=OLDPWD=${path} '
     'HOME=${path:/root} ; COMMAND=/usr/bin/journalctl -u payouts -n '
     '${num:3-3}'),
    ("authlog", 3, '${ts:syslog} ${host} sshd[${pid}]: Invalid user '
     '${user} from ${ipv4} port ${port}'),
    ("authlog", 2, '${ts:syslog} ${host} sshd[${pid}]: '
     'pam_unix(sshd:session): session opened for user ${user}(uid='
     '${num:4-4}) by (uid=0)'),
    ("authlog", 2, '${ts:syslog} ${host} sshd[${pid}]: ${dec:Failed '
     'password for} root from ${ipv4} port ${port} ssh2'),
]

# ---------------------------------------------------------------- Rails
# Tagged logging with the request id, no logger prefix (Rails 7 stdout).
RR = "[${uuid:same}] "
RAILS = [
    ("rails", 2, [
        '[${uuid}] Started PATCH "/api/v1/payees/${num:2-5}" for ${ipv4} '
        'at ${tsx:rails}',
        RR + "Processing by Api::V1::PayeesController#update as JSON",
        RR + '  Parameters: {"recipient"=>{"full_name"=>"${iname}", '
        '"account_number"=>"${acct}", "routing_number"=>"${routing}"}, '
        '"id"=>"${num:2-5}"}',
        RR + "Completed 204 No Content in ${ims}ms (ActiveRecord: "
        "${fms}ms | Allocations: ${num:4-5})"]),
    ("rails", 1, [
        '[${uuid}] Started POST "/users/sign_in" for ${ipv4} at '
        '${tsx:rails}',
        RR + "Processing by Devise::SessionsController#create as HTML",
        RR + '  Parameters: {"user"=>{"email"=>"${dec:[FILTERED]}", '
        '"password"=>"${tok:password}", "remember_me"=>"1"}}',
        RR + "Completed 401 Unauthorized in ${ims}ms"]),
    ("rails", 1, "[ActionMailer] Delivered mail ${hex:24}@mailer.example "
     "(${fms}ms), Subject: Invoice ${order_id} - Attn: ${iname}"),
    ("rails", 2, "[${uuid}] " + "  CardToken Create (${fms}ms)  "
     'INSERT INTO "card_tokens" ("pan", "cvv") VALUES ($1, $2)  '
     '[["pan", "${card:plain}"], ["cvv", "${cvv}"]]'),
    # clean
    ("rails", 2, [
        '[${uuid}] Started GET "/dashboard" for ${ipv4} at ${tsx:rails}',
        RR + "Processing by DashboardController#index as HTML",
        RR + '  ${capsl:Account Load} (${fms}ms)  SELECT "accounts".* FROM '
        '"accounts" WHERE "accounts"."id" = $1 LIMIT $2  [["id", '
        '${num:2-6}], ["LIMIT", 1]]',
        RR + "Completed 200 OK in ${ims}ms (Views: ${fms}ms | "
        "ActiveRecord: ${fms}ms | Allocations: ${num:4-5})"]),
    ("rails", 2, "[ActionMailer] Delivered mail ${hex:24}@mailer.example "
     "(${fms}ms), Subject: Invoice ${order_id} - Attn: ${team}"),
    ("rails", 2, "[${uuid}] " + "Cache read: views/orders/"
     "${order_id}-${ts:epoch} (${fms}ms)"),
]

# --------------------------------------------------------------- Django
DJ = "[${tsx:django}] "
DJANGO = [
    ("django", 2, "DEBUG ${ts:log4j} (${secs3}) UPDATE \"accounts_profile\" "
     "SET \"display_name\" = %s WHERE \"accounts_profile\".\"user_id\" = %s; "
     "args=('${iname_sq}', ${num:2-6}); alias=default"),
    ("django", 1, "INFO ${ts:log4j} mail Sending statement email, Attn: "
     "${iname}, statement ${order_id}"),
    ("django", 1, DJ + '"GET /api/accounts/lookup/?iban=${iban:compact}&'
     'format=json HTTP/1.1" ${status} ${bytes}'),
    ("django", 2, "ERROR ${ts:log4j} log Internal Server Error: /api/charge/"
     " (card_number=${card:spaced}, cvv=${cvv})"),
    # clean
    ("django", 4, DJ + '"GET /admin/jsi18n/ HTTP/1.1" ${status} ${bytes}'),
    ("django", 2, "INFO ${ts:log4j} mail Sending statement email, Attn: "
     "${team}, statement ${order_id}"),
    ("django", 2, "ERROR ${ts:log4j} log Internal Server Error: /api/"
     "orders/${order_id}/ (${caps})"),
]

# ---------------------------------------------------------- Spring Boot
# Spring Boot 2 logback default (no application name).
SP = "${ts:space_ms} %5s ${pid} --- [nio-8443-exec-${small}] %-40s : "
SPRING = [
    ("spring", 2, SP % ("INFO", "c.a.transfers.TransferController") +
     "Received TransferRequest{recipientName='${iname}', accountNumber="
     "'${acct}', routingNumber='${routing}', amount=${amount}}"),
    ("spring", 2, SP % ("TRACE", "o.h.type.descriptor.sql.BasicBinder") +
     "binding parameter [${small}] as [VARCHAR] - [${iname}]"),
    ("spring", 1, SP % ("TRACE", "org.hibernate.orm.jdbc.bind") +
     "binding parameter (${small}:VARCHAR) <- [${iban}]"),
    ("spring", 1, SP % ("DEBUG", "c.a.clients.LedgerFeignClient") +
     "[LedgerClient#post] X-Api-Key: ${tok:b64_44}"),
    ("spring", 1, SP % ("INFO", "c.a.auth.SessionAudit") +
     "user signed in as ${iname} via SAML (session ${hex:16})"),
    # clean
    ("spring", 3, SP % ("INFO", "o.s.b.w.embedded.netty.NettyWebServer") +
     "Netty started on port ${port}"),
    ("spring", 3, SP % ("DEBUG", "com.zaxxer.hikari.pool.HikariPool") +
     "HikariPool-${small} - Pool stats (total=${num:1-2}, active=${small}"
     ", idle=${small}, waiting=0)"),
    ("spring", 2, SP % ("INFO", "c.a.auth.SessionAudit") +
     "user signed in as ${team} via SAML (session ${hex:16})"),
    ("spring", 2, SP % ("INFO", "c.a.metrics.StartupReport") +
     "${label}: ${ims} ms, ${capsl:Bean Count}: ${num:3-3}"),
]

# ---------------------------------------------------- .NET console logs
DOTNET = [
    ("dotnet", 2, "<6>Acme.Transfers.TransferHandler[2001] Transfer "
     "${obj:tr} created recipientName=${iname} account=${acct}"),
    ("dotnet", 2, "<6>Microsoft.EntityFrameworkCore.Database.Command[20101]"
     " Executed DbCommand (${ims}ms) [Parameters=[@p0='${iname_sq}' (Size "
     "= 4000), @p1='${iban:compact}' (Size = 34)], CommandType='Text', "
     "CommandTimeout='30']"),
    ("json", 1, '{"EventId":3002,"LogLevel":"Information","Category":'
     '"Acme.Identity.SignInManager","Message":"User signed in","State":'
     '{"Message":"User signed in","DisplayName":"${iname}",'
     '"{OriginalFormat}":"User signed in"}}'),
    ("dotnet", 1, "<4>Acme.Billing.StripeClient[7] Retrying with "
     "Ocp-Apim-Subscription-Key=${tok:hex32} after ${caps}"),
    # clean
    ("dotnet", 4, "<6>Microsoft.EntityFrameworkCore.Database.Command[20101]"
     " Executed DbCommand (${ims}ms) [Parameters=[@__id_0='?' (DbType = "
     "Int32)], CommandType='Text', CommandTimeout='30']"),
    ("dotnet", 2, "<6>Microsoft.Hosting.Lifetime[0] Application started. "
     "Hosting environment: Production; Content root path: ${path:/app}"),
    ("json", 2, '{"EventId":14,"LogLevel":"Information","Category":'
     '"Microsoft.Hosting.Lifetime","Message":"Now listening on: http://'
     '[::]:${port}","State":{"address":"http://[::]:${port}"}}'),
]

# ----------------------------------------------------------------- klog
KL = "%s${ts:klog}    ${pid} %s:${lineno}] "
KLOG = [
    ("klog", 2, KL % ("I", "accounts.go") + '"Created account holder" '
     'holder="${iname}" account="${acct}" routing="${routing}"'),
    ("klog", 1, KL % ("E", "dispatcher.go") + 'failed to call webhook '
     '"validate.payouts.example.com": Post "https://hooks.example/'
     'validate?token=${tok:hex64}": context deadline exceeded'),
    # clean
    ("klog", 4, KL % ("I", "shared_informer.go") + "Caches are synced for "
     "payouts controller"),
    ("klog", 3, KL % ("W", "warnings.go") + "metadata.finalizers: "
     '"payouts.example.com/cleanup": prefer a domain-qualified finalizer '
     "name to avoid accidental conflicts"),
    ("klog", 2, KL % ("I", "event.go") + '"Event occurred" object='
     '"billing/payee-${num:3-5}" kind="ConfigMap" type="Normal" reason='
     '"Synced" message="${capsl:Payee Synced} in ${dur}"'),
]

# ------------------------------------------------------------------ zap
ZAP = [
    ("zap", 2, "${ts:iso}\tINFO\tledger/sync.go:${lineno}\tpayee "
     'updated\t{"user": {"id": ${num:3-7}, "display_name": "${iname}"}, '
     '"routing": "${routing}", "account": "${acct}"}'),
    ("json", 2, '{"level":"error","ts":${tsx:zapf},"caller":"ledger/'
     'client.go:${lineno}","msg":"upstream rejected key","api_key":'
     '"${tok:b64url_43}","status":${status}}'),
    ("json", 1, '{"level":"info","ts":${tsx:zapf},"caller":"ledger/'
     'transfer.go:${lineno}","msg":"transfer approved","recipientName":'
     '"${iname}","iban":"${iban:spaced}","approved_by":"${user}"}'),
    # clean
    ("json", 3, '{"level":"info","ts":${tsx:zapf},"caller":"httpx/'
     'middleware.go:${lineno}","msg":"http request","method":"GET",'
     '"path":"/healthz","status":${status},"latency":"${dur}",'
     '"request_id":"${uuid}"}'),
    ("zap", 3, "${ts:iso}\tWARN\tledger/sync.go:${lineno}\tslow sync"
     '\t{"${capsl:Rows Scanned}": ${num}, "elapsed": "${dur}"}'),
]

# ----------------------------------------------------------------- pino
PN = '{"level":%d,"time":${ts:epochms},"pid":${pid},"hostname":"${pod}",'
PINO = [
    ("json", 3, PN % 50 + '"err":{"type":"PaymentError","message":'
     '"Payment failed for card ${card:grouped}","stack":"PaymentError: '
     'Payment failed\\n    at charge (/srv/app/pay.js:${lineno}:9)"},'
     '"msg":"Payment failed"}'),
    ("json", 2, PN % 30 + '"order":"${order_id}","msg":"shipping to '
     '${iname}, ${place} ${num:1-3}"}'),
    ("json", 1, PN % 20 + '"req":{"method":"GET","url":"/me","headers":'
     '{"cookie":"connect.sid=${tok:b64url_43}","x-forwarded-for":'
     '"${ipv4}"}},"msg":"incoming"}'),
    ("json", 1, PN % 30 + '"billing":{"cardholderName":"${iname}",'
     '"cvv":"${cvv}","last4":"${last4}"},"msg":"billing profile saved"}'),
    # clean
    ("json", 3, PN % 30 + '"order":"${order_id}","msg":"shipping to '
     '${place}, parcel ${num:6-8}"}'),
    ("json", 3, PN % 20 + '"msg":"Welcome to ${product} (${ver}), '
     'listening on ${port}"}'),
]

# ------------------------------------------------------- Python logging
PYLOG = [
    ("pylog", 2, "WARNING:payments.ach:Return R03 for account ${acct} "
     "(routing ${routing}) account_holder=${iname}"),
    ("pylog", 1, "INFO:payments.auth:logged in as ${iname} via SSO "
     "(${ipv4})"),
    ("pylog", 1, 'DEBUG:urllib3.connectionpool:https://api.example.com:443 '
     '"GET /v1/accounts?api_key=${tok:hex32} HTTP/1.1" ${status} ${bytes}'),
    ("pylog", 1, "[${tsx:pyasc}] INFO in checkout: Welcome back, ${iname}! "
     "Cart ${order_id} restored"),
    ("pylog", 1, "[${tsx:pyasc}] ERROR in payouts: approved by ${iname} "
     "but IBAN ${iban} failed validation"),
    # clean
    ("pylog", 3, "DEBUG:urllib3.connectionpool:Starting new HTTPS "
     "connection (${small}): api.example.com:443"),
    ("pylog", 3, 'INFO:werkzeug:${ipv4} - - [${tsx:django}] "GET /health '
     'HTTP/1.1" ${status} -'),
    ("pylog", 2, "[${tsx:pyasc}] INFO in payouts: approved by ${team}, "
     "batch ${num:4-6}"),
    ("pylog", 2, "INFO:payments.metrics:${label}: ${ims} ms"),
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
