{{/* Names and labels shared by every template. */}}

{{- define "sfd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "<release>-sfd", or just the release name when it already contains the chart name. */}}
{{- define "sfd.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "sfd.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sfd.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "sfd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sfd
{{- end -}}

{{/* Selector labels of one component; call with (dict "root" $ "component" "teacher"). */}}
{{- define "sfd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sfd.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Fails early, with the key to set, when a required value is empty. */}}
{{- define "sfd.kafkaBootstrap" -}}
{{- required "kafka.bootstrapServers is required: the bootstrap servers of your Kafka cluster, e.g. my-kafka:9092" .Values.kafka.bootstrapServers -}}
{{- end -}}

{{/* The Secret that holds S3 credentials, or "" when none are configured. */}}
{{- define "sfd.s3SecretName" -}}
{{- if .Values.s3.existingSecret -}}
{{- .Values.s3.existingSecret -}}
{{- else if or .Values.s3.accessKey .Values.s3.secretKey -}}
{{- printf "%s-s3" (include "sfd.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The topic names are the services' defaults: they are a contract, not a setting of this chart. */}}
{{- define "sfd.topics" -}}
prompts: sfd.prompts
promptsDlq: sfd.prompts.dlq
trajectories: sfd.trajectories
trajectoriesDlq: sfd.trajectories.dlq
checkpoints: sfd.checkpoints
{{- end -}}

{{/*
Kafka security.protocol from kafkaSasl/kafkaTls: SASL_SSL, SASL_PLAINTEXT, SSL or PLAINTEXT.
*/}}
{{- define "sfd.kafkaSecurityProtocol" -}}
{{- if .Values.kafkaSasl.enabled -}}
{{- .Values.kafkaTls.enabled | ternary "SASL_SSL" "SASL_PLAINTEXT" -}}
{{- else -}}
{{- .Values.kafkaTls.enabled | ternary "SSL" "PLAINTEXT" -}}
{{- end -}}
{{- end }}

{{/*
The JAAS login module of kafkaSasl.mechanism.
*/}}
{{- define "sfd.kafkaSaslLoginModule" -}}
{{- $m := .Values.kafkaSasl.mechanism -}}
{{- if hasPrefix "SCRAM-" $m -}}
org.apache.kafka.common.security.scram.ScramLoginModule
{{- else if eq $m "PLAIN" -}}
org.apache.kafka.common.security.plain.PlainLoginModule
{{- else -}}
{{- fail (printf "kafkaSasl.mechanism %q is not supported by the chart: use SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (or set kafka.sasl.* yourself through env)" $m) -}}
{{- end -}}
{{- end }}

{{/*
KEDA's name of kafkaSasl.mechanism (its kafka scaler's "sasl" parameter): scram_sha512, scram_sha256, plaintext.
*/}}
{{- define "sfd.kedaSasl" -}}
{{- $m := .Values.kafkaSasl.mechanism -}}
{{- if eq $m "PLAIN" -}}plaintext{{- else -}}{{- $m | lower | replace "scram-sha-" "scram_sha" -}}{{- end -}}
{{- end }}
