package dw.io.s3;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Beam's S3 options ({@code --awsRegion}, {@code --awsCredentialsProvider}, {@code --endpoint}, …)
 * plus path-style access for S3-compatible servers. With no options at all, the AWS default
 * region and credentials provider chains apply, as in production on AWS.
 */
public interface S3AccessOptions extends S3Options {
  @Description(
      "S3: address buckets as <endpoint>/<bucket>/<key> (path style) instead of"
          + " <bucket>.<endpoint>/<key>. Needed by most S3-compatible servers (MinIO, S3Proxy, Ceph)"
          + " reached through --endpoint.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);
}
