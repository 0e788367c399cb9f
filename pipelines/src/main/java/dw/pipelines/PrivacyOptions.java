package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How client IPs are stored (docs/privacy.md): hashed always, in clear only when asked for. */
public interface PrivacyOptions extends PipelineOptions {
  @Description(
      "File holding the secret key (hex or base64, at least 16 bytes) of the client-IP hash"
          + " (HMAC-SHA-256). Overrides DW_IP_HASH_KEY_FILE and DW_IP_HASH_KEY. With none of them,"
          + " a key is generated once into ip-hash.key beside the embedded warehouse and reused.")
  @Default.String("")
  String getIpHashKeyFile();

  void setIpHashKeyFile(String value);

  @Description(
      "Also store the client's network (/24 for IPv4, /48 for IPv6) as text in client_network.")
  @Default.Boolean(false)
  Boolean getStoreNetwork();

  void setStoreNetwork(Boolean value);

  @Description(
      "Deliberately store client IPs in clear (column client_ip, lake field client_ip) besides"
          + " their hash. Off by default: personal data; only where a legal basis exists.")
  @Default.Boolean(false)
  Boolean getStoreClientIpInClear();

  void setStoreClientIpInClear(Boolean value);
}
