package dw.io.files;

import dw.io.s3.PathStyleS3ClientBuilderFactory;
import dw.io.s3.S3AccessOptions;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where log files live ({@code --input}): an S3 prefix or a local folder, listed by
 * <em>name prefix</em> instead of by glob, so that a listing costs requests in proportion to the
 * files under that prefix and never to the whole bucket.
 *
 * <p>A <em>log prefix</em> is everything up to and including the dot after the distribution id,
 * e.g. {@code logs/E2ABC/E2ABC.}; appending {@code YYYY-MM-DD-HH.} gives the prefix of one hour's
 * files, {@code YYYY-MM-DD-} one day's. Log prefixes are discovered under the input prefix at any
 * depth by a skip-scan: one {@code ListObjectsV2} (max-keys 1, start-after) per log prefix, so
 * the cost grows with the number of distributions, never with the number of files. Folders whose
 * name starts with {@code _} or {@code .} are ignored (the generator keeps its ground truth in
 * {@code _truth}). Load-balancer logs are discovered by folder instead ({@link #listFolders}, see
 * {@link KeyLayout#ALB_DAYS}).
 *
 * <p>S3 is read with the S3 client that Beam's AWS2 filesystem would use ({@code
 * --s3ClientFactoryClass}, region, credentials, endpoint), but listed directly: Beam's glob match
 * sends one extra HEAD request per matched object.
 */
public abstract class LogStore implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The store for an {@code --input} value: {@code s3://bucket[/prefix]} or a local folder. */
  public static LogStore forInput(String input) {
    String in = input.trim();
    if (in.startsWith("s3://")) {
      String rest = in.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      if (bucket.isEmpty()) {
        throw new IllegalArgumentException("--input=" + input + ": no bucket in the s3:// address");
      }
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix = prefix + "/";
      }
      return new S3Store(bucket, prefix);
    }
    if (in.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "--input=" + input + ": only s3:// and local folders can be listed by time prefix");
    }
    return new LocalStore(Paths.get(in).toAbsolutePath().normalize().toString());
  }

  /** True when {@code input} names a folder or prefix (not one file or a glob). */
  public static boolean listableByPrefix(String input) {
    String in = input.trim();
    if (in.contains("*") || in.contains("?") || in.contains("[")) {
      return false;
    }
    if (in.startsWith("s3://")) {
      return true;
    }
    return !in.contains("://") && Files.isDirectory(Paths.get(in));
  }

  /** Prepares the store on a worker (builds the S3 client from the pipeline's options). */
  public abstract void open(PipelineOptions options);

  /** The log prefixes under the input: one delimiter listing. */
  public abstract List<String> discoverPrefixes() throws IOException;

  /** The files whose full name starts with {@code namePrefix} (a log prefix plus a time part). */
  public abstract List<MatchResult.Metadata> list(String namePrefix) throws IOException;

  /**
   * The child folders of a folder prefix (ending in {@code /}), each ending in {@code /}: one
   * delimiter listing (per 1 000 folders), no files.
   */
  public abstract List<String> listFolders(String folderPrefix) throws IOException;

  /** The input as a prefix to append names to: an S3 key prefix ("" or ending in "/") or a folder path ending in "/". */
  public abstract String rootPrefix();

  /** Listing requests this instance has sent (S3 pages, or local directory reads). */
  public abstract long listingRequests();

  /** A readable description of the input. */
  public abstract String describe();

  /**
   * Checks, before a job starts, that the input can be listed (after {@link #open}): an S3 bucket
   * that does not exist, refused credentials or an unreachable endpoint fail here with the input
   * named, instead of inside a running job. One listing request of at most one key.
   *
   * @throws IllegalArgumentException naming the input and the problem
   */
  public void checkListable() {}

  /** Sorts after every key character used in log names (ASCII). */
  static final String SKIP = "~~~~~~~~";

  /** The end of the first path segment starting with '_' or '.', or -1. */
  static int firstIgnoredSegmentEnd(String relativePath) {
    int start = 0;
    while (start < relativePath.length()) {
      int end = relativePath.indexOf('/', start);
      if (end < 0) {
        return -1; // the last segment is the file name itself
      }
      char c = relativePath.charAt(start);
      if (c == '_' || c == '.') {
        return end + 1;
      }
      start = end + 1;
    }
    return -1;
  }

  static boolean ignoredSegment(String relativePath) {
    for (String seg : relativePath.split("/")) {
      if (seg.startsWith("_") || seg.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** {@code s3://bucket/prefix}. */
  static final class S3Store extends LogStore {
    private static final long serialVersionUID = 1L;
    private final String bucket;
    private final String prefix;
    private transient S3Client client;
    private transient long requests;

    S3Store(String bucket, String prefix) {
      this.bucket = bucket;
      this.prefix = prefix;
    }

    @Override
    public synchronized void open(PipelineOptions options) {
      if (client != null) {
        return;
      }
      S3AccessOptions o = options.as(S3AccessOptions.class);
      Class<? extends S3ClientBuilderFactory> type = o.getS3ClientFactoryClass();
      S3ClientBuilderFactory factory;
      try {
        factory =
            type == null
                ? new PathStyleS3ClientBuilderFactory()
                : type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("--s3ClientFactoryClass=" + type + ": " + e, e);
      }
      client = factory.createBuilder(o).build();
      try {
        FileSystems.matchNewResource("s3://" + bucket + "/", true);
      } catch (IllegalArgumentException notRegistered) {
        FileSystems.setDefaultPipelineOptions(options); // outside a pipeline (tools, tests)
      }
    }

    private S3Client client() {
      if (client == null) {
        throw new IllegalStateException("LogStore.open(options) was not called");
      }
      return client;
    }

    /**
     * Skip-scan: the first key under the input names a log prefix; the next listing starts after
     * everything that prefix can hold, and so on. One request per log prefix (plus one), however
     * many files each holds; works on any S3 API (S3-compatible servers often support only "/" as
     * a delimiter).
     */
    @Override
    public List<String> discoverPrefixes() {
      TreeSet<String> out = new TreeSet<>();
      String after = null;
      while (true) {
        ListObjectsV2Request.Builder req =
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(1);
        if (after != null) {
          req.startAfter(after);
        }
        ListObjectsV2Response resp = client().listObjectsV2(req.build());
        requests++;
        if (resp.contents().isEmpty()) {
          return new ArrayList<>(out);
        }
        String key = resp.contents().get(0).key();
        String rel = key.substring(prefix.length());
        int slash = rel.lastIndexOf('/');
        String name = rel.substring(slash + 1);
        int ignored = firstIgnoredSegmentEnd(rel);
        int dot = name.indexOf('.');
        if (ignored >= 0) {
          after = prefix + rel.substring(0, ignored) + SKIP; // the whole ignored folder
        } else if (dot > 0) {
          String logPrefix = prefix + rel.substring(0, slash + 1) + name.substring(0, dot + 1);
          if (CloudFrontKeys.hourStartMillis(name) >= 0) {
            out.add(logPrefix);
          }
          after = logPrefix + SKIP;
        } else {
          after = key; // a name without a dot: step over it
        }
      }
    }

    @Override
    public List<MatchResult.Metadata> list(String namePrefix) {
      List<MatchResult.Metadata> out = new ArrayList<>();
      String token = null;
      do {
        ListObjectsV2Request.Builder req =
            ListObjectsV2Request.builder().bucket(bucket).prefix(namePrefix);
        if (token != null) {
          req.continuationToken(token);
        }
        ListObjectsV2Response resp = client().listObjectsV2(req.build());
        requests++;
        for (S3Object o : resp.contents()) {
          if (o.key().endsWith("/")) {
            continue;
          }
          out.add(
              MatchResult.Metadata.builder()
                  .setResourceId(FileSystems.matchNewResource("s3://" + bucket + "/" + o.key(), false))
                  .setSizeBytes(o.size() == null ? 0 : o.size())
                  .setIsReadSeekEfficient(true)
                  .setLastModifiedMillis(o.lastModified() == null ? 0 : o.lastModified().toEpochMilli())
                  .build());
        }
        token = Boolean.TRUE.equals(resp.isTruncated()) ? resp.nextContinuationToken() : null;
      } while (token != null);
      return out;
    }

    @Override
    public List<String> listFolders(String folderPrefix) {
      List<String> out = new ArrayList<>();
      String token = null;
      do {
        ListObjectsV2Request.Builder req =
            ListObjectsV2Request.builder().bucket(bucket).prefix(folderPrefix).delimiter("/");
        if (token != null) {
          req.continuationToken(token);
        }
        ListObjectsV2Response resp = client().listObjectsV2(req.build());
        requests++;
        for (CommonPrefix c : resp.commonPrefixes()) {
          out.add(c.prefix());
        }
        token = Boolean.TRUE.equals(resp.isTruncated()) ? resp.nextContinuationToken() : null;
      } while (token != null);
      return out;
    }

    @Override
    public String rootPrefix() {
      return prefix;
    }

    @Override
    public long listingRequests() {
      return requests;
    }

    @Override
    public String describe() {
      return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void checkListable() {
      String where = "--input=" + describe();
      try {
        client().listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(1).build());
        requests++;
      } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
        throw new IllegalArgumentException(where + ": bucket '" + bucket + "' does not exist");
      } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if ("NoSuchBucket".equals(code) || e.statusCode() == 404) {
          throw new IllegalArgumentException(where + ": bucket '" + bucket + "' does not exist");
        }
        throw new IllegalArgumentException(
            where + ": S3 refused the listing (HTTP " + e.statusCode() + (code == null ? "" : ", " + code)
                + "; check the credentials and the bucket policy)");
      } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
        throw new IllegalArgumentException(where + ": cannot reach S3 (" + e.getMessage() + ")");
      }
    }
  }

  /** A local folder; distributions at any depth. */
  static final class LocalStore extends LogStore {
    private static final long serialVersionUID = 1L;
    private final String root;
    private transient long requests;

    LocalStore(String root) {
      this.root = root;
    }

    @Override
    public void open(PipelineOptions options) {}

    @Override
    public List<String> discoverPrefixes() throws IOException {
      Path r = Paths.get(root);
      TreeSet<String> out = new TreeSet<>();
      if (!Files.isDirectory(r)) {
        return new ArrayList<>();
      }
      requests++;
      try (Stream<Path> s = Files.walk(r)) {
        s.forEach(
            p -> {
              String rel = r.relativize(p).toString().replace('\\', '/');
              String name = p.getFileName().toString();
              int dot = name.indexOf('.');
              if (dot > 0 && !ignoredSegment(rel) && CloudFrontKeys.hourStartMillis(name) >= 0) {
                out.add(p.getParent().resolve(name.substring(0, dot + 1)).toString());
              }
            });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      return new ArrayList<>(out);
    }

    @Override
    public List<String> listFolders(String folderPrefix) throws IOException {
      Path dir = Paths.get(folderPrefix);
      List<String> out = new ArrayList<>();
      if (!Files.isDirectory(dir)) {
        return out;
      }
      requests++;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
        for (Path f : ds) {
          out.add(f.toString() + "/");
        }
      }
      out.sort(null);
      return out;
    }

    @Override
    public String rootPrefix() {
      return root.endsWith("/") ? root : root + "/";
    }

    @Override
    public List<MatchResult.Metadata> list(String namePrefix) throws IOException {
      boolean folder = namePrefix.endsWith("/");
      Path p = Paths.get(namePrefix);
      Path dir = folder ? p : p.getParent();
      String start = folder ? "" : p.getFileName().toString();
      List<MatchResult.Metadata> out = new ArrayList<>();
      if (dir == null || !Files.isDirectory(dir)) {
        return out;
      }
      requests++;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(start))) {
        for (Path f : ds) {
          BasicFileAttributes a;
          try {
            a = Files.readAttributes(f, BasicFileAttributes.class);
          } catch (IOException gone) {
            continue; // moved away between the listing and the stat
          }
          if (!a.isRegularFile()) {
            continue;
          }
          out.add(
              MatchResult.Metadata.builder()
                  .setResourceId(FileSystems.matchNewResource(f.toString(), false))
                  .setSizeBytes(a.size())
                  .setIsReadSeekEfficient(true)
                  .setLastModifiedMillis(a.lastModifiedTime().toMillis())
                  .build());
        }
      }
      return out;
    }

    @Override
    public long listingRequests() {
      return requests;
    }

    @Override
    public String describe() {
      return root;
    }
  }
}
