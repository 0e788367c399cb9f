package dw.testing;

import dw.io.s3.PathStyleS3ClientBuilderFactory;
import dw.io.s3.S3AccessOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A real S3-compatible server for tests: S3Proxy (copied to {@code target/s3proxy/s3proxy.jar} by
 * the build) run as a child process on 127.0.0.1 and a free port, with an in-memory backend.
 * {@link #close()} stops it. No Docker, nothing on the application's classpath.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String KEY = "testkey";
  public static final String SECRET = "testsecret";

  private final Process process;
  private final int port;
  private final Path log;
  private S3Client client;

  private S3ProxyServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts S3Proxy (in-memory) and waits until it accepts connections (at most 60 s). */
  public static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, null);
  }

  /**
   * Starts S3Proxy; with {@code filesystemRoot}, buckets are the folders of that directory and
   * objects its files (key = relative path), so large buckets can be laid out without uploads.
   */
  public static S3ProxyServer start(Path workDir, Path filesystemRoot)
      throws IOException, InterruptedException {
    Path jar = Paths.get("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run the tests through Maven (process-test-resources copies it)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.createDirectories(workDir);
    Path props = workDir.resolve("s3proxy.conf");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + KEY,
            "s3proxy.credential=" + SECRET,
            filesystemRoot == null
                ? "jclouds.provider=transient-nio2"
                : "jclouds.provider=filesystem\njclouds.filesystem.basedir=" + filesystemRoot.toAbsolutePath(),
            "jclouds.regions=us-east-1",
            ""));
    Path log = workDir.resolve("s3proxy.log");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3ProxyServer server = new S3ProxyServer(p, port, log);
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException notYet) {
        if (System.currentTimeMillis() > deadline) {
          server.close();
          throw new IllegalStateException("S3Proxy did not start in 60 s: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
    return server;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The pipeline options that reach this server. */
  public List<String> options() {
    List<String> o = new ArrayList<>();
    o.add("--awsRegion=us-east-1");
    o.add("--endpoint=" + endpoint());
    o.add("--s3PathStyle=true");
    o.add(
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
            + KEY + "\",\"secretAccessKey\":\"" + SECRET + "\"}");
    return o;
  }

  /** The same options, parsed (for code that needs PipelineOptions). */
  public S3AccessOptions pipelineOptions() {
    List<String> args = new ArrayList<>(options());
    args.add("--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName());
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(S3AccessOptions.class);
  }

  /** An S3 client of this server (built like the pipeline's). */
  public synchronized S3Client client() {
    if (client == null) {
      client = new PathStyleS3ClientBuilderFactory().createBuilder(pipelineOptions()).build();
    }
    return client;
  }

  public void createBucket(String bucket) {
    client().createBucket(CreateBucketRequest.builder().bucket(bucket).build());
  }

  public void put(String bucket, String key, byte[] data) {
    client().putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(data));
  }

  public void putFile(String bucket, String key, Path file) {
    client().putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromFile(file));
  }

  /** Uploads every file under {@code dir} (skipping {@code _…} folders) under {@code prefix}. */
  public int upload(Path dir, String bucket, String prefix) throws IOException {
    int n = 0;
    try (var s = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        if (rel.startsWith("_")) {
          continue;
        }
        putFile(bucket, prefix + rel, f);
        n++;
      }
    }
    return n;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
