{{/* Names: <release>-<chart> unless overridden, cut to the 63 characters Kubernetes allows. */}}
{{- define "mova.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mova.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "mova.silo.fullname" -}}{{ include "mova.fullname" . | trunc 58 | trimSuffix "-" }}-silo{{- end -}}
{{- define "mova.silo.headless" -}}{{ include "mova.fullname" . | trunc 49 | trimSuffix "-" }}-silo-headless{{- end -}}
{{- define "mova.gateway.fullname" -}}{{ include "mova.fullname" . | trunc 55 | trimSuffix "-" }}-gateway{{- end -}}
{{- define "mova.redis.fullname" -}}{{ include "mova.fullname" . | trunc 57 | trimSuffix "-" }}-redis{{- end -}}
{{- define "mova.minio.fullname" -}}{{ include "mova.fullname" . | trunc 57 | trimSuffix "-" }}-minio{{- end -}}

{{- define "mova.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "mova.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mova-cluster
{{- end -}}

{{/* Selector labels of one component: include with (dict "root" $ "component" "silo"). */}}
{{- define "mova.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mova.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "mova.image" -}}
{{- $registry := .root.Values.image.registry | trimSuffix "/" -}}
{{- $repository := .image.repository -}}
{{- if $registry }}{{ printf "%s/%s:%s" $registry $repository .tag }}{{ else }}{{ printf "%s:%s" $repository .tag }}{{ end -}}
{{- end -}}

{{- define "mova.silo.image" -}}
{{- $tag := .Values.silo.image.tag | default (printf "%s-%s" .Chart.AppVersion .Values.silo.backend) -}}
{{- include "mova.image" (dict "root" . "image" .Values.silo.image "tag" $tag) -}}
{{- end -}}

{{- define "mova.gateway.image" -}}
{{- $tag := .Values.gateway.image.tag | default .Chart.AppVersion -}}
{{- include "mova.image" (dict "root" . "image" .Values.gateway.image "tag" $tag) -}}
{{- end -}}

{{/* Secrets: where each credential lives. An existingSecret wins; otherwise the chart's own Secret holds it. */}}
{{- define "mova.secret.chart" -}}{{ include "mova.fullname" . | trunc 55 | trimSuffix "-" }}-secrets{{- end -}}

{{- define "mova.redis.secretName" -}}
{{- if .Values.redis.inChart.enabled -}}{{ include "mova.secret.chart" . }}
{{- else if .Values.redis.external.existingSecret -}}{{ .Values.redis.external.existingSecret }}
{{- else -}}{{ include "mova.secret.chart" . }}{{- end -}}
{{- end -}}
{{- define "mova.redis.secretKey" -}}
{{- if or .Values.redis.inChart.enabled (not .Values.redis.external.existingSecret) -}}redis-connection-string{{- else -}}{{ .Values.redis.external.secretKey }}{{- end -}}
{{- end -}}

{{- define "mova.s3.secretName" -}}
{{- if .Values.minio.enabled -}}{{ include "mova.secret.chart" . }}
{{- else if .Values.s3.existingSecret -}}{{ .Values.s3.existingSecret }}
{{- else -}}{{ include "mova.secret.chart" . }}{{- end -}}
{{- end -}}
{{- define "mova.s3.accessKeyKey" -}}
{{- if or .Values.minio.enabled (not .Values.s3.existingSecret) -}}s3-access-key{{- else -}}{{ .Values.s3.accessKeySecretKey }}{{- end -}}
{{- end -}}
{{- define "mova.s3.secretKeyKey" -}}
{{- if or .Values.minio.enabled (not .Values.s3.existingSecret) -}}s3-secret-key{{- else -}}{{ .Values.s3.secretKeySecretKey }}{{- end -}}
{{- end -}}

{{- define "mova.operator.secretName" -}}
{{- .Values.auth.operatorApiKey.existingSecret | default (include "mova.secret.chart" .) -}}
{{- end -}}
{{- define "mova.operator.secretKey" -}}
{{- if .Values.auth.operatorApiKey.existingSecret -}}{{ .Values.auth.operatorApiKey.secretKey }}{{- else -}}operator-api-key{{- end -}}
{{- end -}}

{{/* A generated secret value kept across upgrades: the one already in the cluster wins over a new random one. */}}
{{- define "mova.secret.keep" -}}
{{- if hasKey .existing .key -}}{{ index .existing .key | b64dec }}{{- else -}}{{ randAlphaNum .length }}{{- end -}}
{{- end -}}

{{/* True (non-empty) when the chart must render its own Secret. */}}
{{- define "mova.secret.needed" -}}
{{- if or .Values.redis.inChart.enabled (not .Values.redis.external.existingSecret) .Values.minio.enabled (not .Values.s3.existingSecret) (not .Values.auth.operatorApiKey.existingSecret) -}}true{{- end -}}
{{- end -}}

{{/* The S3 endpoint (host:port) the cluster reaches, and whether it speaks TLS. */}}
{{- define "mova.s3.endpoint" -}}
{{- if .Values.minio.enabled -}}{{ printf "%s:%d" (include "mova.minio.fullname" .) (int .Values.minio.port) }}{{- else -}}{{ required "s3.endpoint is required (host:port of the S3 API) unless minio.enabled" .Values.s3.endpoint }}{{- end -}}
{{- end -}}
{{- define "mova.s3.useSsl" -}}
{{- if .Values.minio.enabled -}}false{{- else -}}{{ .Values.s3.useSsl }}{{- end -}}
{{- end -}}

{{/* An environment variable from a Secret. */}}
{{- define "mova.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/* Settings both hosts share: cluster membership on Redis and the S3 clip store. */}}
{{- define "mova.env.common" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: Mova__Cluster__Mode
  value: Redis
{{ include "mova.secretEnv" (dict "name" "Mova__Cluster__RedisConnectionString" "secret" (include "mova.redis.secretName" .) "key" (include "mova.redis.secretKey" .)) }}
- name: Mova__Cluster__ClusterId
  value: {{ .Values.orleans.clusterId | quote }}
- name: Mova__Cluster__ServiceId
  value: {{ .Values.orleans.serviceId | quote }}
- name: Mova__Storage__Provider
  value: S3
- name: Mova__Storage__S3__Endpoint
  value: {{ include "mova.s3.endpoint" . | quote }}
- name: Mova__Storage__S3__PublicEndpoint
  value: {{ .Values.s3.publicEndpoint | quote }}
- name: Mova__Storage__S3__Region
  value: {{ .Values.s3.region | quote }}
- name: Mova__Storage__S3__UseSsl
  value: {{ include "mova.s3.useSsl" . | quote }}
- name: Mova__Storage__S3__Bucket
  value: {{ .Values.s3.bucket | quote }}
{{ include "mova.secretEnv" (dict "name" "Mova__Storage__S3__AccessKey" "secret" (include "mova.s3.secretName" .) "key" (include "mova.s3.accessKeyKey" .)) }}
{{ include "mova.secretEnv" (dict "name" "Mova__Storage__S3__SecretKey" "secret" (include "mova.s3.secretName" .) "key" (include "mova.s3.secretKeyKey" .)) }}
{{- with .Values.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Free-form extra settings: env (configuration key with __ -> value) and secretEnv (name, secretName, key). */}}
{{- define "mova.env.extra" -}}
{{- range $name, $value := .env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- range .secretEnv }}
{{ include "mova.secretEnv" (dict "name" .name "secret" .secretName "key" .key) }}
{{- end }}
{{- end -}}

{{/* The silo's worker devices: explicit silo.devices, else one worker per gpusPerWorker GPUs (cuda), else cpu. */}}
{{- define "mova.silo.devices" -}}
{{- $s := .Values.silo -}}
{{- if $s.devices -}}
{{- toJson $s.devices -}}
{{- else if eq $s.backend "cuda" -}}
{{- $devices := list -}}
{{- range $worker := until (div (int $s.gpusPerNode) (int $s.gpusPerWorker) | int) -}}
{{- $devices = append $devices (printf "cuda:%d" (mul $worker (int $s.gpusPerWorker))) -}}
{{- end -}}
{{- toJson $devices -}}
{{- else -}}
{{- toJson (list "cpu") -}}
{{- end -}}
{{- end -}}

{{/* The device group behind each worker device (only for plans over more than one GPU). */}}
{{- define "mova.silo.deviceGroups" -}}
{{- $s := .Values.silo -}}
{{- if $s.deviceGroups -}}
{{- toJson $s.deviceGroups -}}
{{- else if and (eq $s.backend "cuda") (gt (int $s.gpusPerWorker) 1) (not $s.devices) -}}
{{- $groups := list -}}
{{- range $worker := until (div (int $s.gpusPerNode) (int $s.gpusPerWorker) | int) -}}
{{- $group := list -}}
{{- range $i := until (int $s.gpusPerWorker) -}}
{{- $group = append $group (printf "cuda:%d" (add (mul $worker (int $s.gpusPerWorker)) $i)) -}}
{{- end -}}
{{- $groups = append $groups (join "," $group) -}}
{{- end -}}
{{- toJson $groups -}}
{{- else -}}
{{- toJson list -}}
{{- end -}}
{{- end -}}

{{/* Checks values that would otherwise render a cluster that cannot start. */}}
{{- define "mova.validate" -}}
{{- $s := .Values.silo -}}
{{- if not (has $s.backend (list "cuda" "cpu")) -}}
{{- fail (printf "silo.backend is cuda or cpu, not %q" $s.backend) -}}
{{- end -}}
{{- if eq $s.backend "cuda" -}}
{{- if lt (int $s.gpusPerNode) 1 -}}{{- fail "silo.gpusPerNode must be at least 1 with the cuda backend" -}}{{- end -}}
{{- if lt (int $s.gpusPerWorker) 1 -}}{{- fail "silo.gpusPerWorker must be at least 1" -}}{{- end -}}
{{- if ne 0 (mod (int $s.gpusPerNode) (int $s.gpusPerWorker) | int) -}}
{{- fail (printf "silo.gpusPerNode (%d) must be a multiple of silo.gpusPerWorker (%d)" (int $s.gpusPerNode) (int $s.gpusPerWorker)) -}}
{{- end -}}
{{- end -}}
{{- if and (eq $s.backend "cuda") (gt (int $s.gpusPerWorker) 1) (not $s.plan) -}}
{{- fail "silo.gpusPerWorker > 1 needs silo.plan (e.g. pipeline4, pipeline2+cfg) to lay one replica over the group" -}}
{{- end -}}
{{- if and .Values.redis.inChart.enabled (or .Values.redis.external.existingSecret .Values.redis.external.connectionString) -}}
{{- fail "redis.inChart.enabled and redis.external.* are exclusive: pick one Redis" -}}
{{- end -}}
{{- if and (not .Values.redis.inChart.enabled) (not .Values.redis.external.existingSecret) (not .Values.redis.external.connectionString) -}}
{{- fail "Redis is required: set redis.external.existingSecret (a Secret holding the StackExchange.Redis connection string), redis.external.connectionString, or redis.inChart.enabled for a trial" -}}
{{- end -}}
{{- if and (not .Values.minio.enabled) (not .Values.s3.existingSecret) (or (not .Values.s3.accessKey) (not .Values.s3.secretKey)) -}}
{{- fail "S3 credentials are required: set s3.existingSecret (a Secret with the access and secret keys), s3.accessKey and s3.secretKey, or minio.enabled for a trial" -}}
{{- end -}}
{{- if and .Values.silo.checkpoint.download.enabled (not .Values.silo.checkpoint.path) -}}
{{- fail "silo.checkpoint.download needs silo.checkpoint.path (where the checkpoint is put and read)" -}}
{{- end -}}
{{- if and .Values.silo.checkpoint.path (eq .Values.silo.checkpoint.volume.type "none") (not .Values.silo.checkpoint.download.enabled) -}}
{{- fail "silo.checkpoint.path is set but silo.checkpoint.volume.type is none: mount the checkpoint (persistentVolumeClaim, volumeClaimTemplate or hostPath)" -}}
{{- end -}}
{{- end -}}
