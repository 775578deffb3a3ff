{{/*
One Deployment for one service. The three services differ only in values, so they share this.
Call with (dict "root" $ "component" "teacher" "svc" .Values.teacher "s3" true "replicas" 1
              "strategy" "RollingUpdate" "extraPorts" list "extraEnv" dict).
*/}}
{{- define "sfd.deployment" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $gpu := and $root.Values.gpu.enabled $svc.gpu.enabled -}}
{{- $tag := $svc.image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion -}}
{{- if $gpu }}{{ $tag = printf "%s%s" $tag $root.Values.gpu.imageTagSuffix }}{{ end -}}
{{- $repo := $svc.image.repository -}}
{{- if $root.Values.image.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" $root.Values.image.registry) $repo }}{{ end -}}
{{- $fullname := include "sfd.fullname" $root -}}
{{- $secret := include "sfd.s3SecretName" $root -}}
{{- $accessKeyKey := "access-key" -}}
{{- $secretKeyKey := "secret-key" -}}
{{- if $root.Values.s3.existingSecret -}}
{{- $accessKeyKey = $root.Values.s3.existingSecretAccessKeyKey -}}
{{- $secretKeyKey = $root.Values.s3.existingSecretSecretKeyKey -}}
{{- end -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $fullname }}-{{ .component }}
  labels:
    {{- include "sfd.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if not (kindIs "invalid" .replicas) }}
  replicas: {{ .replicas }}
  {{- end }}
  strategy:
    type: {{ .strategy }}
  selector:
    matchLabels:
      {{- include "sfd.selectorLabels" (dict "root" $root "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "sfd.labels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ .component }}
      annotations:
        # Settings arrive through env, which a running pod never re-reads: roll the pods when they change.
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: "{{ $repo }}:{{ $tag }}"
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $svc.httpPort }}
              protocol: TCP
            {{- range .extraPorts }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: TCP
            {{- end }}
          env:
            - name: KAFKA_BOOTSTRAP_SERVERS
              valueFrom:
                configMapKeyRef: {name: {{ $fullname }}-config, key: KAFKA_BOOTSTRAP_SERVERS}
            {{- if .s3 }}
            {{- range list "SFD_S3_ENDPOINT" "SFD_S3_BUCKET" "SFD_S3_REGION" "SFD_S3_SERVER_ERROR_ATTEMPTS" "SFD_S3_SERVER_ERROR_BACKOFF" }}
            - name: {{ . }}
              valueFrom:
                configMapKeyRef: {name: {{ $fullname }}-config, key: {{ . }}}
            {{- end }}
            {{- if $secret }}
            - name: SFD_S3_ACCESS_KEY
              valueFrom:
                secretKeyRef: {name: {{ $secret }}, key: {{ $accessKeyKey }}}
            - name: SFD_S3_SECRET_KEY
              valueFrom:
                secretKeyRef: {name: {{ $secret }}, key: {{ $secretKeyKey }}}
            {{- end }}
            {{- end }}
            - name: QUARKUS_HTTP_PORT
              value: {{ $svc.httpPort | quote }}
            - name: SFD_EXECUTION_PROVIDER
              value: {{ $gpu | ternary "cuda" "cpu" }}
            - name: SFD_THREADS
              value: {{ $root.Values.sfd.threads | quote }}
            {{- $sasl := $root.Values.kafkaSasl }}
            {{- if or $sasl.enabled $root.Values.kafkaTls.enabled }}
            - name: KAFKA_SECURITY_PROTOCOL
              value: {{ include "sfd.kafkaSecurityProtocol" $root }}
            {{- end }}
            {{- if $sasl.enabled }}
            {{- $saslSecret := required "kafkaSasl.existingSecret is required when kafkaSasl.enabled: the Secret holding the Kafka user name and password" $sasl.existingSecret }}
            - name: SFD_KAFKA_SASL_USERNAME
              valueFrom:
                secretKeyRef: {name: {{ $saslSecret }}, key: {{ $sasl.usernameKey }}}
            - name: SFD_KAFKA_SASL_PASSWORD
              valueFrom:
                secretKeyRef: {name: {{ $saslSecret }}, key: {{ $sasl.passwordKey }}}
            - name: KAFKA_SASL_MECHANISM
              value: {{ $sasl.mechanism | quote }}
            - name: KAFKA_SASL_JAAS_CONFIG
              value: {{ printf "%s required username=\"$(SFD_KAFKA_SASL_USERNAME)\" password=\"$(SFD_KAFKA_SASL_PASSWORD)\";" (include "sfd.kafkaSaslLoginModule" $root) | quote }}
            {{- end }}
            {{- if and .s3 $root.Values.s3.caSecret }}
            - name: SFD_S3_CA_FILE
              value: /etc/sfd/s3-ca/{{ $root.Values.s3.caKey }}
            {{- end }}
            {{- if $root.Values.kafkaTls.enabled }}
            - name: KAFKA_SSL_TRUSTSTORE_TYPE
              value: PEM
            - name: KAFKA_SSL_TRUSTSTORE_LOCATION
              value: /etc/sfd/kafka-tls/{{ $root.Values.kafkaTls.caKey }}
            {{- end }}
            - name: JAVA_OPTS
              value: {{ $svc.javaOpts | quote }}
            {{- range $name, $value := .extraEnv }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
            {{- /* User settings last: per-service entries override global ones of the same name. */}}
            {{- range $name, $value := merge (deepCopy ($svc.env | default dict)) ($root.Values.env | default dict) }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
          # started: allows a slow first model load (large ONNX files) without tripping liveness.
          startupProbe:
            httpGet: {path: /q/health/started, port: http}
            periodSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet: {path: /q/health/live, port: http}
            periodSeconds: 10
            failureThreshold: 3
          # ready: Kafka (and the object store) reachable; traffic and rollouts wait for it.
          readinessProbe:
            httpGet: {path: /q/health/ready, port: http}
            periodSeconds: 5
            failureThreshold: 3
          resources:
            {{- $res := deepCopy ($svc.resources | default dict) }}
            {{- if $gpu }}
            {{- $limits := merge (dict $root.Values.gpu.resourceName $svc.gpu.count) ($res.limits | default dict) }}
            {{- $_ := set $res "limits" $limits }}
            {{- end }}
            {{- toYaml $res | nindent 12 }}
          volumeMounts:
            # The root filesystem is read-only; ONNX Runtime unpacks its native library to /tmp.
            - name: tmp
              mountPath: /tmp
            {{- if $root.Values.kafkaTls.enabled }}
            - name: kafka-tls
              mountPath: /etc/sfd/kafka-tls
              readOnly: true
            {{- end }}
            {{- if and .s3 $root.Values.s3.caSecret }}
            - name: s3-ca
              mountPath: /etc/sfd/s3-ca
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- if $root.Values.kafkaTls.enabled }}
        - name: kafka-tls
          secret:
            secretName: {{ required "kafkaTls.caSecret is required when kafkaTls.enabled: the Secret holding the Kafka CA certificate (PEM)" $root.Values.kafkaTls.caSecret }}
        {{- end }}
        {{- if and .s3 $root.Values.s3.caSecret }}
        - name: s3-ca
          secret:
            secretName: {{ $root.Values.s3.caSecret }}
        {{- end }}
      {{- $nodeSelector := deepCopy ($svc.nodeSelector | default dict) }}
      {{- $tolerations := $svc.tolerations | default list }}
      {{- if $gpu }}
      {{- $nodeSelector = merge $nodeSelector ($root.Values.gpu.nodeSelector | default dict) }}
      {{- $tolerations = concat $tolerations ($root.Values.gpu.tolerations | default list) }}
      {{- end }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- /* Quoted: label values are strings, and --set turns "true" into a boolean. */}}
        {{- range $key, $value := . }}
        {{ $key }}: {{ $value | toString | quote }}
        {{- end }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* The ClusterIP Service in front of one component; ports as in the Deployment. */}}
{{- define "sfd.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "sfd.fullname" .root }}-{{ .component }}{{ if .headless }}-headless{{ end }}
  labels:
    {{- include "sfd.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if .headless }}
  clusterIP: None
  {{- else }}
  type: ClusterIP
  {{- end }}
  selector:
    {{- include "sfd.selectorLabels" (dict "root" .root "component" .component) | nindent 4 }}
  ports:
    - name: http
      port: {{ .svc.httpPort }}
      targetPort: http
      protocol: TCP
    {{- range .extraPorts }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .targetPort | default .name }}
      protocol: TCP
    {{- end }}
{{- end -}}


{{/* Settings of the SFD recipe that the teacher and the trainer both read (same values on both). */}}
{{- define "sfd.recipeEnv" -}}
{{- $d := .Values.sfd.distill -}}
{{- dict "SFD_TEACHER_MODEL" (required "sfd.teacherModel is required: a built-in teacher (mixture2d, shapes) or an ONNX path in the pod" .Values.sfd.teacherModel)
     "SFD_DISTILL_SOLVER" $d.solver "SFD_DISTILL_K" (toString $d.k) "SFD_DISTILL_CARRY_HISTORY" (toString $d.carryHistory)
     "SFD_DISTILL_STEP_COUNTS" (toString $d.stepCounts) "SFD_DISTILL_AFS" (toString $d.afs) | toJson -}}
{{- end -}}

{{/* A PodDisruptionBudget for one component; call with (dict "root" $ "component" "teacher"). */}}
{{- define "sfd.pdb" -}}
{{- if .root.Values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "sfd.fullname" .root }}-{{ .component }}
  labels:
    {{- include "sfd.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  maxUnavailable: {{ .root.Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "sfd.selectorLabels" (dict "root" .root "component" .component) | nindent 6 }}
{{- end }}
{{- end -}}
