using MovaCluster.Deployment.Tests.Helm;

namespace MovaCluster.Deployment.Tests;

/// <summary><c>helm template</c> of helm/mova-cluster with the test's values files, parsed and checked object by object.</summary>
public sealed class ChartRenderTests
{
    private const string Silo = "mova-mova-cluster-silo";
    private const string Gateway = "mova-mova-cluster-gateway";
    private const string Headless = "mova-mova-cluster-silo-headless";
    private const string ChartSecret = "mova-mova-cluster-secrets";

    [Fact]
    public async Task Defaults_render_gpu_silos_and_a_gateway_on_external_redis_and_s3()
    {
        var release = await ValuesCase.RenderAsync("defaults");

        Assert.Equal(
            ["Deployment", "PodDisruptionBudget", "PodDisruptionBudget", "Role", "RoleBinding", "Secret", "Service", "Service", "ServiceAccount", "StatefulSet"],
            release.Manifests.Select(m => m.Kind).Order(StringComparer.Ordinal));

        var silo = release.Single("StatefulSet", Silo);
        Assert.Equal("2", silo.Root.Text("spec", "replicas"));
        Assert.Equal(Headless, silo.Root.Text("spec", "serviceName"));
        Assert.Equal("None", release.Single("Service", Headless).Root.Text("spec", "clusterIP"));
        var pod = silo.PodSpec;
        var container = silo.Container("silo");
        Assert.Equal("movacluster-silo:0.1.0-cuda", container.Text("image"));
        Assert.Equal("8", container.Text("resources", "requests", "nvidia.com/gpu"));
        Assert.Equal("8", container.Text("resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("true", pod.Text("nodeSelector", "nvidia.com/gpu.present"));
        Assert.Contains(pod.Items("tolerations"), t => t.Text("key") == "nvidia.com/gpu" && t.Text("effect") == "NoSchedule");
        Assert.Equal("kubernetes.io/hostname", pod.Items("affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution").Single().Text("topologyKey"));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"cuda:{i}"), Manifest.Env(container).Where(e => e.Name.StartsWith("Mova__Execution__Devices__", StringComparison.Ordinal)).Select(e => e.Value));
        Assert.DoesNotContain(Manifest.Env(container), e => e.Name.StartsWith("Mova__Execution__Planned__", StringComparison.Ordinal));
        Assert.Equal("16", silo.EnvValue("silo", "Mova__Planner__GpuCount"));
        Assert.Equal("/models/MOVA-360p", silo.EnvValue("silo", "Mova__Execution__Mova__CheckpointPath"));
        Assert.Equal("mova-checkpoints", pod.Items("volumes").Single(v => v.Text("name") == "checkpoint").Text("persistentVolumeClaim", "claimName"));
        Assert.Equal("true", container.Items("volumeMounts").Single(v => v.Text("name") == "checkpoint").Text("readOnly"));

        // Probes, the stop window and the host's shutdown timeout inside it.
        Assert.Equal("/health", container.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("/alive", container.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal("/alive", container.Text("startupProbe", "httpGet", "path"));
        Assert.Equal("60", container.Text("startupProbe", "failureThreshold"));
        Assert.Equal("180", pod.Text("terminationGracePeriodSeconds"));
        Assert.Equal("170", silo.EnvValue("silo", "DOTNET_shutdownTimeoutSeconds"));

        // Orleans: Redis mode, the pod's name and IP, Kubernetes hosting with the pod permissions it needs.
        Assert.Equal("Redis", silo.EnvValue("silo", "Mova__Cluster__Mode"));
        Assert.Equal("true", silo.EnvValue("silo", "Mova__Cluster__KubernetesHosting"));
        var env = Manifest.Env(container).ToDictionary(e => e.Name);
        Assert.Equal("metadata.name", env["POD_NAME"].FieldPath);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].FieldPath);
        Assert.Equal("status.podIP", env["POD_IP"].FieldPath);
        Assert.Equal("mova", silo.Root.Text("spec", "template", "metadata", "labels", "orleans/clusterId"));
        Assert.Equal("mova-cluster", silo.Root.Text("spec", "template", "metadata", "labels", "orleans/serviceId"));
        Assert.Equal(Silo, pod.Text("serviceAccountName"));
        Assert.Equal(["delete", "get", "list", "patch", "watch"], release.Single("Role").Root.Items("rules").Single().Items("verbs").Select(v => v.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(Silo, release.Single("RoleBinding").Root.Items("subjects").Single().Text("name"));
        Assert.Equal(("mova-redis", "connection-string"), (env["Mova__Cluster__RedisConnectionString"].SecretName, env["Mova__Cluster__RedisConnectionString"].SecretKey));
        Assert.Equal(("mova-s3", "secret-key"), (env["Mova__Storage__S3__SecretKey"].SecretName, env["Mova__Storage__S3__SecretKey"].SecretKey));
        Assert.Equal("false", silo.EnvValue("silo", "Mova__Gateway__Development__Enabled"));
        Assert.Equal("true", pod.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("1", release.Single("PodDisruptionBudget", Silo).Root.Text("spec", "maxUnavailable"));

        // The gateway: its Service, the operator key from the chart's Secret (generated), Redis for its stores.
        var gateway = release.Single("Deployment", Gateway);
        Assert.Equal("2", gateway.Root.Text("spec", "replicas"));
        Assert.Equal("movacluster-gateway:0.1.0", gateway.Container("gateway").Text("image"));
        var gatewayEnv = Manifest.Env(gateway.Container("gateway")).ToDictionary(e => e.Name);
        Assert.Equal((ChartSecret, "operator-api-key"), (gatewayEnv["Mova__Gateway__OperatorApiKey"].SecretName, gatewayEnv["Mova__Gateway__OperatorApiKey"].SecretKey));
        Assert.Equal(48, release.SecretValue(ChartSecret, "operator-api-key")!.Length);
        Assert.Equal(("mova-redis", "connection-string"), (gatewayEnv["Mova__Gateway__RedisConnectionString"].SecretName, gatewayEnv["Mova__Gateway__RedisConnectionString"].SecretKey));
        Assert.Equal("false", gateway.EnvValue("gateway", "Mova__Gateway__Development__Enabled"));
        Assert.Equal($"http://{Headless}:8080/", gateway.EnvValue("gateway", "ReverseProxy__Clusters__orleans-dashboard__Destinations__silo__Address"));
        Assert.Equal("/health", gateway.Container("gateway").Text("readinessProbe", "httpGet", "path"));
        var service = release.Single("Service", Gateway);
        Assert.Equal(("80", "http"), (service.Root.Items("spec", "ports").Single().Text("port"), service.Root.Items("spec", "ports").Single().Text("targetPort")));
    }

    [Fact]
    public async Task Eight_gpus_per_node_with_a_pipeline_plan_give_two_workers_each_fronting_four_gpus()
    {
        var release = await ValuesCase.RenderAsync("gpu8-pipeline");
        var silo = release.Single("StatefulSet", Silo);
        var env = Manifest.Env(silo.Container("silo"));

        Assert.Equal("3", silo.Root.Text("spec", "replicas"));
        Assert.Equal("8", silo.Container("silo").Text("resources", "limits", "nvidia.com/gpu"));
        Assert.Equal(["cuda:0", "cuda:4"], env.Where(e => e.Name.StartsWith("Mova__Execution__Devices__", StringComparison.Ordinal)).Select(e => e.Value));
        Assert.Equal(["cuda:0,cuda:1,cuda:2,cuda:3", "cuda:4,cuda:5,cuda:6,cuda:7"], env.Where(e => e.Name.StartsWith("Mova__Execution__Planned__DeviceGroups__", StringComparison.Ordinal)).Select(e => e.Value));
        Assert.Equal("pipeline4", silo.EnvValue("silo", "Mova__Execution__Planned__Plan"));
        Assert.Equal("pipeline4", silo.EnvValue("silo", "Mova__Planner__Plan"));
        Assert.Equal("24", silo.EnvValue("silo", "Mova__Planner__GpuCount"));
        Assert.Equal("8", silo.EnvValue("silo", "Mova__Planner__GpusPerNode"));
        Assert.Equal("720p", silo.EnvValue("silo", "Mova__Planner__Resolution"));
    }

    [Theory]
    [InlineData("silo: { gpusPerWorker: 3 }", "must be a multiple of silo.gpusPerWorker")]
    [InlineData("silo: { gpusPerWorker: 2 }", "needs silo.plan")]
    [InlineData("silo: { backend: rocm }", "silo.backend is cuda or cpu")]
    [InlineData("redis: { external: { existingSecret: \"\" } }", "Redis is required")]
    [InlineData("s3: { existingSecret: \"\" }", "S3 credentials are required")]
    [InlineData("silo: { checkpoint: { volume: { type: none } } }", "silo.checkpoint.path is set but silo.checkpoint.volume.type is none")]
    [InlineData("silo: { checkpoint: { volume: { type: nfs } } }", "not \"nfs\"")]
    [InlineData("silo: { checkpoint: { download: { enabled: true } } }", "silo.checkpoint.download.source is required")]
    [InlineData("redis: { inChart: { enabled: true } }", "exclusive")]
    public async Task Values_that_cannot_run_fail_the_render_with_a_message_naming_the_value(string values, string message)
    {
        var result = await HelmChart.TryTemplateAsync(HelmChart.Values([], values));

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_services_come_from_the_operators_secrets_and_the_checkpoint_from_s3_into_a_claim_per_silo()
    {
        var release = await ValuesCase.RenderAsync("external-services");

        Assert.Empty(release.OfKind("Secret"));
        var silo = release.Single("StatefulSet", Silo);
        var env = Manifest.Env(silo.Container("silo")).ToDictionary(e => e.Name);
        Assert.Equal(("prod-redis", "redis-url"), (env["Mova__Cluster__RedisConnectionString"].SecretName, env["Mova__Cluster__RedisConnectionString"].SecretKey));
        Assert.Equal(("prod-s3", "AWS_ACCESS_KEY_ID"), (env["Mova__Storage__S3__AccessKey"].SecretName, env["Mova__Storage__S3__AccessKey"].SecretKey));
        Assert.Equal(("prod-s3", "AWS_SECRET_ACCESS_KEY"), (env["Mova__Storage__S3__SecretKey"].SecretName, env["Mova__Storage__S3__SecretKey"].SecretKey));
        Assert.Equal("minio.storage.svc.cluster.local:9000", env["Mova__Storage__S3__Endpoint"].Value);
        Assert.Equal("media.example.com", env["Mova__Storage__S3__PublicEndpoint"].Value);
        Assert.Equal("false", env["Mova__Storage__S3__UseSsl"].Value);
        Assert.Equal("eu-west-1", env["Mova__Storage__S3__Region"].Value);
        Assert.Equal("prod-clips", env["Mova__Storage__S3__Bucket"].Value);
        Assert.Equal("/models/MOVA-720p", env["Mova__Execution__Mova__CheckpointPath"].Value);

        var gateway = Manifest.Env(release.Single("Deployment", Gateway).Container("gateway")).ToDictionary(e => e.Name);
        Assert.Equal(("prod-operator", "key"), (gateway["Mova__Gateway__OperatorApiKey"].SecretName, gateway["Mova__Gateway__OperatorApiKey"].SecretKey));
        Assert.Equal(("prod-redis", "redis-url"), (gateway["Mova__Gateway__RedisConnectionString"].SecretName, gateway["Mova__Gateway__RedisConnectionString"].SecretKey));

        var claim = silo.Root.Items("spec", "volumeClaimTemplates").Single();
        Assert.Equal("checkpoint", claim.Text("metadata", "name"));
        Assert.Equal("fast-nvme", claim.Text("spec", "storageClassName"));
        Assert.Equal("300Gi", claim.Text("spec", "resources", "requests", "storage"));
        Assert.DoesNotContain(silo.PodSpec.Items("volumes"), v => v.Text("name") == "checkpoint");

        var fetch = silo.PodSpec.Items("initContainers").Single();
        Assert.Equal("fetch-checkpoint", fetch.Text("name"));
        var fetchEnv = Manifest.Env(fetch).ToDictionary(e => e.Name);
        Assert.Equal("s3://mova-models/MOVA-720p", fetchEnv["CHECKPOINT_SOURCE"].Value);
        Assert.Equal("/models/MOVA-720p", fetchEnv["CHECKPOINT_PATH"].Value);
        Assert.Equal("http://minio.storage.svc.cluster.local:9000", fetchEnv["CHECKPOINT_ENDPOINT_URL"].Value);
        Assert.Equal(("prod-models", "access-key"), (fetchEnv["AWS_ACCESS_KEY_ID"].SecretName, fetchEnv["AWS_ACCESS_KEY_ID"].SecretKey));
        Assert.Equal(("prod-models", "secret-key"), (fetchEnv["AWS_SECRET_ACCESS_KEY"].SecretName, fetchEnv["AWS_SECRET_ACCESS_KEY"].SecretKey));
        Assert.Equal("/models", fetch.Items("volumeMounts").Single(m => m.Text("name") == "checkpoint").Text("mountPath"));
        Assert.Null(fetch.Items("volumeMounts").Single(m => m.Text("name") == "checkpoint").Text("readOnly"));
        Assert.Contains("aws s3 sync", fetch.Items("args").Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keda_scales_the_silos_on_the_queue_metrics_and_an_hpa_the_gateway()
    {
        var release = await ValuesCase.RenderAsync("keda");

        var scaled = release.Single("ScaledObject");
        Assert.Equal(("StatefulSet", Silo), (scaled.Root.Text("spec", "scaleTargetRef", "kind"), scaled.Root.Text("spec", "scaleTargetRef", "name")));
        Assert.Equal(("2", "6", "900"), (scaled.Root.Text("spec", "minReplicaCount"), scaled.Root.Text("spec", "maxReplicaCount"), scaled.Root.Text("spec", "cooldownPeriod")));
        var triggers = scaled.Root.Items("spec", "triggers");
        Assert.All(triggers, t => Assert.Equal(("prometheus", "http://prometheus-operated.monitoring:9090"), (t.Text("type"), t.Text("metadata", "serverAddress"))));
        Assert.Equal(
            [("sum(mova_autoscale_queue_depth{model=\"MOVA-720p\"}) or vector(0)", "3"), ("max(mova_autoscale_queue_oldest_wait_seconds{model=\"MOVA-720p\"}) or vector(0)", "90")],
            triggers.Select(t => (t.Text("metadata", "query"), t.Text("metadata", "threshold"))));
        Assert.Null(release.Single("StatefulSet", Silo).Root.Text("spec", "replicas"));

        var hpa = release.Single("HorizontalPodAutoscaler");
        Assert.Equal(("Deployment", Gateway), (hpa.Root.Text("spec", "scaleTargetRef", "kind"), hpa.Root.Text("spec", "scaleTargetRef", "name")));
        Assert.Equal(("3", "12"), (hpa.Root.Text("spec", "minReplicas"), hpa.Root.Text("spec", "maxReplicas")));
        Assert.Equal("70", hpa.Root.Items("spec", "metrics").Single().Text("resource", "target", "averageUtilization"));
        Assert.Null(release.Single("Deployment", Gateway).Root.Text("spec", "replicas"));

        var ingress = release.Single("Ingress");
        Assert.Equal("nginx", ingress.Root.Text("spec", "ingressClassName"));
        var rule = ingress.Root.Items("spec", "rules").Single();
        Assert.Equal("videos.example.com", rule.Text("host"));
        Assert.Equal(Gateway, rule.Items("http", "paths").Single().Text("backend", "service", "name"));
        Assert.Equal("videos-tls", ingress.Root.Items("spec", "tls").Single().Text("secretName"));

        var monitor = release.Single("ServiceMonitor");
        Assert.Equal("prometheus", monitor.Root.Text("metadata", "labels", "release"));
        Assert.Equal(("http", "/metrics"), (monitor.Root.Items("spec", "endpoints").Single().Text("port"), monitor.Root.Items("spec", "endpoints").Single().Text("path")));
        var components = monitor.Root.Items("spec", "selector", "matchExpressions").Single(e => e.Text("key") == "app.kubernetes.io/component").Items("values").Select(v => v.ToString());
        Assert.Equal(["silo", "gateway"], components);
        // Both scraped Services carry a port named http and the labels the monitor selects.
        Assert.All([release.Single("Service", Headless), release.Single("Service", Gateway)], s => Assert.Contains(s.Root.Items("spec", "ports"), p => p.Text("name") == "http"));
    }

    [Fact]
    public async Task A_trial_runs_redis_and_minio_in_the_release_with_generated_credentials_and_cpu_silos()
    {
        var release = await ValuesCase.RenderAsync("trial");

        var redis = release.Single("Deployment", "mova-mova-cluster-redis");
        Assert.Equal("6379", release.Single("Service", "mova-mova-cluster-redis").Root.Items("spec", "ports").Single().Text("port"));
        var password = release.SecretValue(ChartSecret, "redis-password")!;
        Assert.Equal(32, password.Length);
        Assert.Equal($"mova-mova-cluster-redis:6379,password={password},abortConnect=false", release.SecretValue(ChartSecret, "redis-connection-string"));
        Assert.Equal(["--port", "6379", "--requirepass", "$(REDIS_PASSWORD)"], redis.Container("redis").Items("args").Take(4).Select(a => a.ToString()));
        Assert.Equal((ChartSecret, "redis-password"), (Manifest.Env(redis.Container("redis")).Single().SecretName, Manifest.Env(redis.Container("redis")).Single().SecretKey));

        var minio = release.Single("Deployment", "mova-mova-cluster-minio");
        Assert.Equal(["MINIO_ROOT_PASSWORD", "MINIO_ROOT_USER"], Manifest.Env(minio.Container("minio")).Where(e => e.SecretName == ChartSecret).Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("trial-operator-key-0123456789", release.SecretValue(ChartSecret, "operator-api-key"));

        var silo = release.Single("StatefulSet", Silo);
        var container = silo.Container("silo");
        Assert.Equal("movacluster-silo:0.1.0-cpu", container.Text("image"));
        Assert.Null(container.Text("resources", "limits", "nvidia.com/gpu"));
        Assert.Null(silo.PodSpec.At("nodeSelector"));
        Assert.Equal(["cpu"], Manifest.Env(container).Where(e => e.Name.StartsWith("Mova__Execution__Devices__", StringComparison.Ordinal)).Select(e => e.Value));
        Assert.Equal("", silo.EnvValue("silo", "Mova__Execution__Mova__CheckpointPath"));
        Assert.DoesNotContain(silo.PodSpec.Items("volumes"), v => v.Text("name") == "checkpoint");
        Assert.Equal("mova-mova-cluster-minio:9000", silo.EnvValue("silo", "Mova__Storage__S3__Endpoint"));
        Assert.Equal("false", silo.EnvValue("silo", "Mova__Storage__S3__UseSsl"));
        Assert.Equal((ChartSecret, "redis-connection-string"), Manifest.Env(container).Where(e => e.Name == "Mova__Cluster__RedisConnectionString").Select(e => (e.SecretName, e.SecretKey)).Single());
    }
}
