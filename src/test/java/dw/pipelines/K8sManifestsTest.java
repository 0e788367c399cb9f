package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests in {@code k8s/} cannot be applied here, so they are checked as strictly as
 * possible: each kustomization is rendered (resources, components, merge patches with targets,
 * namespace: the subset of kustomize the manifests use; any other kustomize key fails the test),
 * every rendered object is deserialized into the Flink Kubernetes Operator's own API classes or
 * fabric8's model with unknown fields failing (also those fabric8 keeps in {@code
 * additionalProperties}), and then the contents: job args are options of their command, the jar
 * path is the Dockerfile's, every Secret key referenced exists, secret files mounted where the args
 * and env say, state on s3://, the reporter port is the PodMonitor's.
 */
class K8sManifestsTest {
  private static final Path K8S = Paths.get("k8s");
  private static final List<String> ROOTS = List.of("base", "overlays/dev", "overlays/prod", "backfill");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static Map<String, List<ObjectNode>> rendered;
  private static Set<Path> used;

  @BeforeAll
  static void render() throws IOException {
    rendered = new LinkedHashMap<>();
    used = new LinkedHashSet<>();
    for (String root : ROOTS) {
      rendered.put(root, renderKustomization(K8S.resolve(root), false));
    }
  }

  // ---------------------------------------------------------------- kustomize subset

  static List<ObjectNode> readDocs(Path file) throws IOException {
    List<ObjectNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          docs.add((ObjectNode) n);
        }
      }
    }
    return docs;
  }

  static List<ObjectNode> renderKustomization(Path dir, boolean component) throws IOException {
    Path file = dir.resolve("kustomization.yaml");
    used.add(file.normalize());
    ObjectNode k = readDocs(file).get(0);
    Set<String> known = Set.of("apiVersion", "kind", "namespace", "resources", "components", "patches");
    k.fieldNames().forEachRemaining(f -> assertTrue(known.contains(f), file + ": kustomize key '" + f
        + "' is not understood by this test's renderer; extend the renderer or drop it"));
    assertEquals(component ? "Component" : "Kustomization", k.path("kind").asText(), file + ": kind");
    List<ObjectNode> objects = new ArrayList<>();
    if (component) {
      assertFalse(k.has("resources") || k.has("components"), file + ": components here only patch");
      return objects;
    }
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      assertTrue(Files.exists(p), file + ": resource " + r.asText() + " does not exist");
      if (Files.isDirectory(p)) {
        objects.addAll(renderKustomization(p, false));
      } else {
        used.add(p);
        objects.addAll(readDocs(p));
      }
    }
    for (JsonNode c : k.path("components")) {
      Path p = dir.resolve(c.asText()).normalize();
      assertTrue(Files.isDirectory(p), file + ": component " + c.asText() + " is not a folder");
      renderKustomization(p, true); // checks its keys
      applyPatches(p, readDocs(p.resolve("kustomization.yaml")).get(0), objects);
    }
    applyPatches(dir, k, objects);
    if (k.has("namespace")) {
      for (ObjectNode o : objects) {
        ((ObjectNode) o.with("metadata")).put("namespace", k.get("namespace").asText());
      }
    }
    return objects;
  }

  static void applyPatches(Path dir, JsonNode k, List<ObjectNode> objects) throws IOException {
    for (JsonNode patch : k.path("patches")) {
      Path p = dir.resolve(patch.path("path").asText()).normalize();
      used.add(p);
      ObjectNode body = readDocs(p).get(0);
      JsonNode target = patch.path("target");
      assertFalse(target.isMissingNode(), dir + ": every patch needs a target");
      int hits = 0;
      for (ObjectNode o : objects) {
        String[] gv = o.path("apiVersion").asText().split("/");
        String group = gv.length == 2 ? gv[0] : "";
        String version = gv[gv.length - 1];
        if (matches(target, "group", group) && matches(target, "version", version)
            && matches(target, "kind", o.path("kind").asText())
            && matches(target, "name", o.path("metadata").path("name").asText())) {
          ObjectNode b = body.deepCopy();
          ((ObjectNode) b.path("metadata")).remove("name"); // the target chooses, not the name
          mergePatch(o, b);
          hits++;
        }
      }
      assertTrue(hits > 0, dir + ": patch " + p.getFileName() + " matches no object");
    }
  }

  private static boolean matches(JsonNode target, String field, String value) {
    return !target.has(field) || target.get(field).asText().equals(value);
  }

  /** RFC 7386 JSON merge patch (kustomize's semantics for custom resources): lists replace. */
  static void mergePatch(ObjectNode target, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        target.remove(e.getKey());
      } else if (v.isObject() && target.path(e.getKey()).isObject()) {
        mergePatch((ObjectNode) target.get(e.getKey()), v);
      } else {
        target.set(e.getKey(), v.deepCopy());
      }
    }
  }

  // ---------------------------------------------------------------- strict typing

  /**
   * Deserializes, then fails on every field the API classes do not have: the operator's classes
   * are {@code @JsonIgnoreProperties(ignoreUnknown = true)} (so FAIL_ON_UNKNOWN_PROPERTIES alone
   * misses them): a field of the input that does not come back when the object is serialized again
   * was dropped; fabric8's model classes park unknown fields in {@code additionalProperties}.
   */
  static <T> T strict(JsonNode node, Class<T> type, String where) throws IOException {
    T value = YAML.treeToValue(node, type);
    List<String> unknown = new ArrayList<>();
    droppedFields(node, YAML.valueToTree(value), where, unknown);
    unknownFields(value, where, unknown, new IdentityHashMap<>());
    assertEquals(List.of(), unknown, where + ": fields the " + type.getSimpleName() + " API does not have");
    return value;
  }

  static void droppedFields(JsonNode in, JsonNode back, String path, List<String> out) {
    if (in.isObject()) {
      for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (back == null || !back.has(f)) {
          out.add(path + "." + f);
        } else {
          droppedFields(in.get(f), back.get(f), path + "." + f, out);
        }
      }
    } else if (in.isArray() && back != null && back.isArray()) {
      for (int i = 0; i < in.size(); i++) {
        droppedFields(in.get(i), back.get(i), path + "[" + i + "]", out);
      }
    }
  }

  static void unknownFields(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum
        || o.getClass().isPrimitive() || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((key, v) -> unknownFields(v, path + "." + key, out, seen));
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object v : c) {
        unknownFields(v, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (o.getClass().isArray()) {
      if (o instanceof Object[] a) {
        for (int i = 0; i < a.length; i++) {
          unknownFields(a[i], path + "[" + i + "]", out, seen);
        }
      }
      return;
    }
    String pkg = o.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("org.apache.flink.kubernetes")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
          || !(m.getName().startsWith("get") || m.getName().startsWith("is"))
          || m.getName().equals("getClass") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(o);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": " + extra.keySet());
        }
      } else {
        unknownFields(v, path + "." + m.getName().replaceFirst("^(get|is)", ""), out, seen);
      }
    }
  }

  @Test
  void theStrictCheckCatchesMisspelledFields() throws IOException {
    ObjectNode fd = first("base", "FlinkDeployment").deepCopy();
    ((ObjectNode) fd.with("spec").with("job")).put("argz", "x");
    assertThrows(AssertionError.class, () -> strict(fd, FlinkDeployment.class, "test"));
    ObjectNode fd2 = first("base", "FlinkDeployment").deepCopy();
    ((ObjectNode) fd2.with("spec").with("podTemplate").with("spec").withArray("containers").get(0))
        .put("securityContxt", "x");
    assertThrows(AssertionError.class, () -> strict(fd2, FlinkDeployment.class, "test"));
  }

  private static ObjectNode first(String root, String kind) {
    return rendered.get(root).stream().filter(o -> o.path("kind").asText().equals(kind)).findFirst().orElseThrow();
  }

  @Test
  void everyManifestIsRenderedAndTyped() throws IOException {
    try (Stream<Path> s = Files.walk(K8S)) {
      List<Path> stray = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .map(Path::normalize).filter(p -> !used.contains(p)).toList();
      assertEquals(List.of(), stray, "YAML files no kustomization uses (dead or forgotten)");
    }
    for (Map.Entry<String, List<ObjectNode>> e : rendered.entrySet()) {
      for (ObjectNode o : e.getValue()) {
        String where = e.getKey() + ": " + o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
        switch (o.path("apiVersion").asText() + " " + o.path("kind").asText()) {
          case "flink.apache.org/v1beta1 FlinkDeployment" -> strict(o, FlinkDeployment.class, where);
          case "v1 Secret" -> strict(o, Secret.class, where);
          case "monitoring.coreos.com/v1 PodMonitor" -> strict(o, PodMonitor.class, where);
          default -> throw new AssertionError(where + ": a kind this test cannot check");
        }
      }
    }
  }

  // ---------------------------------------------------------------- contents

  private static String dockerJarPath() throws IOException {
    List<String> lines = Files.readAllLines(K8S.resolve("Dockerfile"));
    String from = lines.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow();
    assertTrue(from.matches("FROM flink:1\\.19(\\.\\d+)?-java17"), "official Flink 1.19 Java 17 image: " + from);
    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertFalse(user.matches("USER (0|root)(:.*)?"), "the image runs as non-root: " + user);
    String pom = Files.readString(Paths.get("pom.xml"));
    // the jar built for a Flink 1.19 cluster (the image provides Flink, SLF4J and Log4j), not the
    // embedded one that bundles a second Flink
    Matcher shaded = Pattern.compile(
            "<id>cluster-jar</id>(?:(?!</execution>).)*?<outputFile>\\$\\{project.build.directory}/([^<]+)</outputFile>",
            Pattern.DOTALL)
        .matcher(pom);
    assertTrue(shaded.find(), "pom.xml: outputFile of the shade execution cluster-jar");
    Pattern copy = Pattern.compile("COPY (?:--chown=\\S+ )?target/" + Pattern.quote(shaded.group(1)) + " (/opt/flink/usrlib/\\S+\\.jar)");
    for (String l : lines) {
      Matcher m = copy.matcher(l);
      if (m.matches()) {
        return m.group(1);
      }
    }
    throw new AssertionError("Dockerfile: no COPY of target/" + shaded.group(1) + " into /opt/flink/usrlib");
  }

  /** The options interface of a command: dw.pipelines.<Command>Options by the jar's convention. */
  static Class<? extends PipelineOptions> optionsOf(String command) {
    assertTrue(Main.commands().containsKey(command),
        "command '" + command + "' is not in this build's jar (Main.commands(): " + Main.commands().keySet() + ")");
    StringBuilder name = new StringBuilder("dw.pipelines.");
    for (String part : command.split("-")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    name.append("Options");
    try {
      return Class.forName(name.toString()).asSubclass(PipelineOptions.class);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("command '" + command + "': no options interface " + name, e);
    }
  }

  static Set<String> optionNames(Class<? extends PipelineOptions> type) {
    Set<String> names = new TreeSet<>();
    for (Method m : type.getMethods()) {
      String n = m.getName();
      if (m.getParameterCount() == 0 && (n.startsWith("get") && n.length() > 3 || n.startsWith("is") && n.length() > 2)) {
        String p = n.substring(n.startsWith("get") ? 3 : 2);
        names.add(Character.toLowerCase(p.charAt(0)) + p.substring(1));
      }
    }
    return names;
  }

  private static List<FlinkDeployment> deployments() throws IOException {
    List<FlinkDeployment> out = new ArrayList<>();
    for (Map.Entry<String, List<ObjectNode>> e : rendered.entrySet()) {
      for (ObjectNode o : e.getValue()) {
        if (o.path("kind").asText().equals("FlinkDeployment")) {
          out.add(strict(o, FlinkDeployment.class, e.getKey()));
        }
      }
    }
    return out;
  }

  @Test
  void jobsRunTheImagesJarWithOptionsTheirCommandKnows() throws Exception {
    String jar = "local://" + dockerJarPath();
    List<FlinkDeployment> all = deployments();
    assertTrue(all.size() >= 7, "security-pings and push-proxy in base, dev and prod, and the backfill");
    for (FlinkDeployment d : all) {
      String where = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
      FlinkDeploymentSpec spec = d.getSpec();
      JobSpec job = spec.getJob();
      assertEquals(FlinkVersion.v1_19, spec.getFlinkVersion(), where);
      assertEquals(jar, job.getJarURI(), where + ": jarURI is where the Dockerfile puts the jar");
      Method main = Class.forName(job.getEntryClass()).getMethod("main", String[].class);
      assertTrue(Modifier.isStatic(main.getModifiers()), where + ": entry class has a static main");
      List<String> args = Arrays.asList(job.getArgs());
      Class<? extends PipelineOptions> options = optionsOf(args.get(0));
      Set<String> known = optionNames(options);
      List<String> optionArgs = args.subList(1, args.size());
      for (String a : optionArgs) {
        Matcher m = Pattern.compile("--([A-Za-z0-9]+)=(.*)").matcher(a);
        assertTrue(m.matches(), where + ": '" + a + "' is not --option=value");
        assertTrue(known.contains(m.group(1)), where + ": --" + m.group(1) + " is not an option of " + args.get(0));
      }
      // the values parse as their types (Integer, Double, Boolean...)
      PipelineOptionsFactory.fromArgs(optionArgs.toArray(String[]::new)).as(options);
      boolean backfill = args.stream().anyMatch(a -> a.startsWith("--from=")) && args.stream().anyMatch(a -> a.startsWith("--to="));
      Map<String, String> conf = spec.getFlinkConfiguration();
      if (backfill) {
        assertEquals(UpgradeMode.STATELESS, job.getUpgradeMode(), where + ": a backfill keeps no state");
        assertEquals(String.join(" ", BatchJvmOptionsTest.options()), conf.get("env.java.opts.taskmanager"),
            where + ": a backfill's TaskManagers run with the JIT settings of flink-conf/batch.jvm.options");
      } else {
        assertEquals(UpgradeMode.SAVEPOINT, job.getUpgradeMode(), where);
        assertEquals("rocksdb", conf.get("state.backend.type"), where);
        assertEquals("kubernetes", conf.get("high-availability.type"), where);
      }
      for (String key : List.of("state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir")) {
        assertTrue(conf.getOrDefault(key, "").startsWith("s3://"), where + ": " + key + " on s3://");
        assertTrue(conf.get(key).contains("/" + d.getMetadata().getName() + "/"), where + ": " + key + " is the deployment's own");
      }
      assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
          conf.get("metrics.reporter.prom.factory.class"), where);
      Container c = mainContainer(spec.getPodTemplate(), where);
      String port = conf.get("metrics.reporter.prom.port");
      assertTrue(c.getPorts().stream().anyMatch(p -> p.getName().equals("metrics") && String.valueOf(p.getContainerPort()).equals(port)),
          where + ": container port 'metrics' = the reporter's port " + port);
      assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), where);
      assertEquals(Boolean.TRUE, spec.getPodTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), where);
    }
  }

  private static Container mainContainer(PodTemplateSpec pod, String where) {
    assertNotNull(pod, where + ": podTemplate");
    return pod.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("flink-main-container")).findFirst()
        .orElseThrow(() -> new AssertionError(where + ": no flink-main-container in the pod template"));
  }

  @Test
  void everySecretReferenceAndSecretFileExists() throws Exception {
    Map<String, Set<String>> secrets = new LinkedHashMap<>();
    for (List<ObjectNode> objects : rendered.values()) {
      for (ObjectNode o : objects) {
        if (o.path("kind").asText().equals("Secret")) {
          Secret s = strict(o, Secret.class, "secret");
          Set<String> keys = secrets.computeIfAbsent(s.getMetadata().getName(), k -> new TreeSet<>());
          if (s.getData() != null) {
            keys.addAll(s.getData().keySet());
          }
          if (s.getStringData() != null) {
            keys.addAll(s.getStringData().keySet());
          }
        }
      }
    }
    String sources = mainSources();
    for (FlinkDeployment d : deployments()) {
      String where = d.getMetadata().getName();
      PodTemplateSpec pod = d.getSpec().getPodTemplate();
      Container c = mainContainer(pod, where);
      // secret files: mount path + item path -> (secret, key)
      Map<String, String> files = new LinkedHashMap<>();
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getSecret() == null) {
          continue;
        }
        String name = v.getSecret().getSecretName();
        assertTrue(secrets.containsKey(name), where + ": volume " + v.getName() + ": no Secret " + name);
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(v.getName())).findFirst()
            .orElseThrow(() -> new AssertionError(where + ": secret volume " + v.getName() + " is not mounted"));
        assertNotNull(v.getSecret().getItems(), where + ": secret volume " + v.getName() + " lists its keys");
        v.getSecret().getItems().forEach(i -> {
          assertTrue(secrets.get(name).contains(i.getKey()), where + ": Secret " + name + " has no key " + i.getKey());
          files.put(mount.getMountPath() + "/" + i.getPath(), name + "/" + i.getKey());
        });
      }
      for (EnvVar e : c.getEnv()) {
        assertTrue(sources.contains("\"" + e.getName() + "\"") || e.getName().startsWith("AWS_"),
            where + ": env " + e.getName() + " is read by no code (AWS_* are the AWS SDK's)");
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          var ref = e.getValueFrom().getSecretKeyRef();
          assertTrue(secrets.getOrDefault(ref.getName(), Set.of()).contains(ref.getKey()),
              where + ": env " + e.getName() + " -> Secret " + ref.getName() + " key " + ref.getKey() + " does not exist");
        }
        if (e.getName().endsWith("_FILE")) {
          assertTrue(files.containsKey(e.getValue()), where + ": env " + e.getName() + "=" + e.getValue() + " is no mounted secret file");
        }
      }
      for (String a : d.getSpec().getJob().getArgs()) {
        Matcher m = Pattern.compile("--\\w+File=(/etc/dw/.*)").matcher(a);
        if (m.matches()) {
          assertTrue(files.containsKey(m.group(1)), where + ": " + a + " is no mounted secret file");
        }
      }
    }
  }

  private static String mainSources() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String root : List.of("geo", "transforms", "io", "pipelines")) {
      try (Stream<Path> s = Files.walk(Paths.get(root, "src", "main", "java"))) {
        for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
          sb.append(Files.readString(p));
        }
      }
    }
    return sb.toString();
  }

  @Test
  void podMonitorScrapesTheReporterPortOfThePipelinePods() throws Exception {
    for (String root : List.of("base", "overlays/dev", "overlays/prod")) {
      PodMonitor pm = strict(first(root, "PodMonitor"), PodMonitor.class, root);
      Map<String, String> selector = pm.getSpec().getSelector().getMatchLabels();
      assertEquals("metrics", pm.getSpec().getPodMetricsEndpoints().get(0).getPort());
      for (ObjectNode o : rendered.get(root)) {
        if (o.path("kind").asText().equals("FlinkDeployment")) {
          FlinkDeployment d = strict(o, FlinkDeployment.class, root);
          Map<String, String> labels = d.getSpec().getPodTemplate().getMetadata().getLabels();
          selector.forEach((k, v) -> assertEquals(v, labels.get(k), root + " " + d.getMetadata().getName() + ": pod label " + k));
          assertEquals(pm.getMetadata().getNamespace(), d.getMetadata().getNamespace(), "same namespace");
        }
      }
    }
  }
}
