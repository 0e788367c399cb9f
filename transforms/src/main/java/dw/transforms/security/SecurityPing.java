package dw.transforms.security;

import static dw.transforms.common.RecordField.Type.BOOLEAN;
import static dw.transforms.common.RecordField.Type.DATE;
import static dw.transforms.common.RecordField.Type.INT;
import static dw.transforms.common.RecordField.Type.LONG;
import static dw.transforms.common.RecordField.Type.STRING;
import static dw.transforms.common.RecordField.Type.STRING_LIST;
import static dw.transforms.common.RecordField.Type.TIMESTAMP_MILLIS;

import dw.transforms.common.BlockCoder;
import dw.transforms.common.RecordField;
import dw.transforms.common.RecordField.Codec;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One parsed security-update-check ping: the CloudFront line's event time, client and edge, the
 * decoded query parameters, the derived version/edition, the GeoIP fields of the client IP and the
 * exclusion reasons. Immutable value class; create it with {@link Builder} (the classifier reuses one
 * builder, so a kept line costs one {@code SecurityPing}).
 *
 * <p>Derived values are computed from their source and cannot disagree with it: {@link
 * #versionFull()}, {@link #versionMajor()}, {@link #versionMinor()}, {@link #versionPatch()} and
 * {@link #customBuild()} from {@link #build()} (see {@link BuildVersion}); {@link #edition()} from
 * {@link #enterpriseReady()}; {@link #logEpochDay()} from {@link #eventTimeMillis()} (the UTC day,
 * which is CloudFront's {@code date} field).
 *
 * <p>Privacy: a ping holds what may be kept of its client's address, computed where the address is
 * read (the parse step, with the {@code ClientIpPolicy}): {@link #clientIpHash()} (the value of
 * {@code client_ip_hash}), its 64-bit prefix {@link #clientIpFingerprint()} for distinct counts,
 * {@link #clientNetwork()} only with {@code --storeNetwork}, and the address itself ({@link
 * #clientIp()}) only with {@code --storeClientIpInClear}. Pings travel through shuffles and sit in
 * Flink state, checkpoints and savepoints, so the clear address must not be in them otherwise. A
 * ping built without {@link Builder#pseudonyms} (tests, tools) keeps the address it was given and
 * has no hash.
 */
public final class SecurityPing implements SecurityPingFields, Serializable {
  private static final long serialVersionUID = 1L;
  private static final long MILLIS_PER_DAY = 86_400_000L;

  /** {@link #edition()} when {@code be=true}. */
  public static final String EDITION_ENTERPRISE = "E0";
  /** {@link #edition()} when {@code be} is present and not {@code true}. */
  public static final String EDITION_TEAM = "TE";
  /** {@link #edition()} when {@code be} is missing. */
  public static final String EDITION_UNKNOWN = "Unknown";

  /**
   * The ping's fields, once, in the order of its stored tables (the lake's {@code security_pings},
   * Snowflake's raw table): names, types, descriptions, values, what a sink may store of the client
   * address, and how {@link dw.transforms.pings.SecurityPingCoder} carries each (format 2). The Avro
   * schema, the lake and raw rows, the coder, {@link #equals}, {@link #hashCode} and {@link
   * #toString} are derived from it. Lake columns are only ever appended, and the coded fields'
   * bytes are a savepoint contract (both pinned by golden tests). Fields without a codec are derived
   * from coded ones.
   */
  public static final List<RecordField<SecurityPing>> FIELDS =
      List.of(
          RecordField.<SecurityPing>required("event_time", TIMESTAMP_MILLIS, p -> p.eventTimeMillis)
              .doc("CloudFront date+time, UTC")
              .coded(Codec.VAR_LONG, "eventTimeMillis"),
          RecordField.<SecurityPing>required("log_date", DATE, p -> p.logEpochDay)
              .doc("UTC day of event_time"),
          RecordField.<SecurityPing>required("server_id", STRING, p -> p.serverId).coded(Codec.STRING, "serverId"),
          // the version fields derived from the build are carried: decoding does not parse it again
          RecordField.<SecurityPing>optional("build", STRING, p -> p.build)
              .doc("raw b parameter")
              .coded(Codec.COMMON_STRING, "build"),
          RecordField.<SecurityPing>optional("version_full", STRING, p -> p.versionFull)
              .coded(Codec.COMMON_STRING, "versionFull"),
          RecordField.<SecurityPing>optional("version_major", INT, p -> p.versionMajor)
              .coded(Codec.NULLABLE_INT, "versionMajor"),
          RecordField.<SecurityPing>optional("version_minor", INT, p -> p.versionMinor)
              .coded(Codec.NULLABLE_INT, "versionMinor"),
          RecordField.<SecurityPing>optional("version_patch", INT, p -> p.versionPatch)
              .coded(Codec.NULLABLE_INT, "versionPatch"),
          RecordField.<SecurityPing>required("custom_build", BOOLEAN, p -> p.customBuild)
              .coded(Codec.BOOLEAN, "customBuild"),
          RecordField.<SecurityPing>required("edition", STRING, SecurityPing::edition)
              .doc("E0, TE or Unknown"),
          RecordField.<SecurityPing>optional("is_enterprise_ready", BOOLEAN, p -> p.enterpriseReady)
              .coded(Codec.NULLABLE_BOOLEAN, "enterpriseReady"),
          RecordField.<SecurityPing>optional("database_type", STRING, p -> p.database)
              .coded(Codec.COMMON_STRING, "database"),
          RecordField.<SecurityPing>optional("operating_system", STRING, p -> p.os).coded(Codec.COMMON_STRING, "os"),
          RecordField.<SecurityPing>optional("registered_users", LONG, p -> p.registeredUsers)
              .coded(Codec.NULLABLE_LONG, "registeredUsers"),
          RecordField.<SecurityPing>optional("teams", LONG, p -> p.teams).coded(Codec.NULLABLE_LONG, "teams"),
          RecordField.<SecurityPing>optional("active_users", LONG, p -> p.activeUsers)
              .coded(Codec.NULLABLE_LONG, "activeUsers"),
          RecordField.<SecurityPing>required("ran_unit_tests", BOOLEAN, p -> p.ranUnitTests)
              .coded(Codec.BOOLEAN, "ranUnitTests"),
          // the coder carries the address fields here, as clear text, hash (32 bytes), network; the
          // fingerprint is the hash's first 8 bytes and is not written
          RecordField.<SecurityPing>optional("client_ip_hash", STRING, p -> p.clientIpHash)
              .doc("HMAC-SHA-256 of the client IP, 64 hex characters")
              .coded(Codec.STRING, "clientIp")
              .coded(Codec.HEX, "clientIpHash")
              .coded(Codec.COMMON_STRING, "clientNetwork"),
          RecordField.<SecurityPing>optional("client_network", STRING, p -> p.clientNetwork)
              .doc("/24 or /48, only with --storeNetwork")
              .throughPolicy((v, ips) -> ips.storesNetwork() ? v : null),
          RecordField.<SecurityPing>optional("client_ip", STRING, p -> p.clientIp)
              .doc("only with --storeClientIpInClear")
              .throughPolicy((v, ips) -> ips.storesInClear() ? v : null),
          RecordField.<SecurityPing>optional("edge_location", STRING, p -> p.edgeLocation)
              .coded(Codec.COMMON_STRING, "edgeLocation"),
          RecordField.<SecurityPing>optional("request_id", STRING, p -> p.requestId)
              .coded(Codec.STRING, "requestId"),
          RecordField.<SecurityPing>optional("country_iso", STRING, p -> p.countryIso)
              .coded(Codec.COMMON_STRING, "countryIso"),
          RecordField.<SecurityPing>optional("country_name", STRING, p -> p.countryName)
              .coded(Codec.COMMON_STRING, "countryName"),
          RecordField.<SecurityPing>optional("subdivision_iso", STRING, p -> p.subdivisionIso)
              .coded(Codec.COMMON_STRING, "subdivisionIso"),
          RecordField.<SecurityPing>optional("subdivision_name", STRING, p -> p.subdivisionName)
              .coded(Codec.COMMON_STRING, "subdivisionName"),
          RecordField.<SecurityPing>optional("city", STRING, p -> p.city).coded(Codec.COMMON_STRING, "city"),
          RecordField.<SecurityPing>optional("asn", LONG, p -> p.asn).coded(Codec.NULLABLE_LONG, "asn"),
          RecordField.<SecurityPing>required("exclusion_reasons", STRING_LIST, SecurityPing::exclusionCodes)
              .coded(Codec.VAR_INT, "exclusionMask"),
          RecordField.<SecurityPing>required("is_excluded", BOOLEAN, SecurityPing::excluded));

  private final long eventTimeMillis;
  private final int logEpochDay;
  private final String serverId;
  private final String build;
  private final String versionFull;
  private final Integer versionMajor;
  private final Integer versionMinor;
  private final Integer versionPatch;
  private final boolean customBuild;
  private final Boolean enterpriseReady;
  private final String database;
  private final String os;
  private final Long registeredUsers;
  private final Long teams;
  private final Long activeUsers;
  private final boolean ranUnitTests;
  private final String clientIp;
  private final String clientIpHash;
  private final String clientNetwork;
  private final long clientIpFingerprint;
  private final String edgeLocation;
  private final String requestId;
  private final String countryIso;
  private final String countryName;
  private final String subdivisionIso;
  private final String subdivisionName;
  private final String city;
  private final Long asn;
  private final int exclusionMask;

  private SecurityPing(Builder b) {
    this.eventTimeMillis = b.eventTimeMillis;
    this.logEpochDay = (int) Math.floorDiv(b.eventTimeMillis, MILLIS_PER_DAY);
    this.serverId = b.serverId;
    this.build = b.build;
    this.versionFull = b.versionFull;
    this.versionMajor = b.versionMajor;
    this.versionMinor = b.versionMinor;
    this.versionPatch = b.versionPatch;
    this.customBuild = b.customBuild;
    this.enterpriseReady = b.enterpriseReady;
    this.database = b.database;
    this.os = b.os;
    this.registeredUsers = b.registeredUsers;
    this.teams = b.teams;
    this.activeUsers = b.activeUsers;
    this.ranUnitTests = b.ranUnitTests;
    this.clientIp = b.keepClientIp ? b.clientIp : null;
    this.clientIpHash = b.clientIpHash;
    this.clientNetwork = b.clientNetwork;
    this.clientIpFingerprint = b.clientIpFingerprint;
    this.edgeLocation = b.edgeLocation;
    this.requestId = b.requestId;
    this.countryIso = b.countryIso;
    this.countryName = b.countryName;
    this.subdivisionIso = b.subdivisionIso;
    this.subdivisionName = b.subdivisionName;
    this.city = b.city;
    this.asn = b.asn;
    this.exclusionMask = b.exclusionMask;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this ping's values (e.g. to change the geo fields or the mask). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.eventTimeMillis = eventTimeMillis;
    b.serverId = serverId;
    b.build = build;
    b.versionFull = versionFull;
    b.versionMajor = versionMajor;
    b.versionMinor = versionMinor;
    b.versionPatch = versionPatch;
    b.customBuild = customBuild;
    b.enterpriseReady = enterpriseReady;
    b.database = database;
    b.os = os;
    b.registeredUsers = registeredUsers;
    b.teams = teams;
    b.activeUsers = activeUsers;
    b.ranUnitTests = ranUnitTests;
    b.clientIp = clientIp;
    b.clientIpHash = clientIpHash;
    b.clientNetwork = clientNetwork;
    b.clientIpFingerprint = clientIpFingerprint;
    b.edgeLocation = edgeLocation;
    b.requestId = requestId;
    b.countryIso = countryIso;
    b.countryName = countryName;
    b.subdivisionIso = subdivisionIso;
    b.subdivisionName = subdivisionName;
    b.city = city;
    b.asn = asn;
    b.exclusionMask = exclusionMask;
    return b;
  }

  /** {@code be}: null if missing, true for exactly {@code "true"}, false otherwise (as the SQL). */
  public static Boolean enterpriseReadyOf(String be) {
    return be == null ? null : Boolean.valueOf("true".equals(be));
  }

  /** {@code E0} / {@code TE} / {@code Unknown} for an enterprise-ready flag. */
  public static String editionOf(Boolean enterpriseReady) {
    if (enterpriseReady == null) {
      return EDITION_UNKNOWN;
    }
    return enterpriseReady ? EDITION_ENTERPRISE : EDITION_TEAM;
  }

  // ------------------------------------------------------------------ coder

  /**
   * Reads the fields {@link #writeFields} wrote (the coder's format {@value
   * dw.transforms.pings.SecurityPingCoder#FORMAT}, after its marker): the fingerprint is derived
   * from the hash.
   */
  public static SecurityPing readFrom(BlockCoder.Reader r) throws IOException {
    Builder b = readFields(r);
    b.clientIpFingerprint = b.clientIpHash == null ? 0 : IpPseudonymizer.fingerprint(b.clientIpHash);
    return b.build();
  }

  // BEGIN GENERATED from FIELDS (RecordFieldSourcesTest; -Ddw.updateGolden=true rewrites it)
  /** Writes the coded fields of {@link #FIELDS}, in order. */
  public void writeFields(BlockCoder.Writer w) {
    w.writeVarLong(eventTimeMillis);
    w.writeString(serverId);
    w.writeCommonString(build);
    w.writeCommonString(versionFull);
    w.writeNullableInt(versionMajor);
    w.writeNullableInt(versionMinor);
    w.writeNullableInt(versionPatch);
    w.writeBoolean(customBuild);
    w.writeNullableBoolean(enterpriseReady);
    w.writeCommonString(database);
    w.writeCommonString(os);
    w.writeNullableLong(registeredUsers);
    w.writeNullableLong(teams);
    w.writeNullableLong(activeUsers);
    w.writeBoolean(ranUnitTests);
    w.writeString(clientIp);
    w.writeHex(clientIpHash);
    w.writeCommonString(clientNetwork);
    w.writeCommonString(edgeLocation);
    w.writeString(requestId);
    w.writeCommonString(countryIso);
    w.writeCommonString(countryName);
    w.writeCommonString(subdivisionIso);
    w.writeCommonString(subdivisionName);
    w.writeCommonString(city);
    w.writeNullableLong(asn);
    w.writeVarInt(exclusionMask);
  }

  /** Reads {@link #writeFields} into a new builder. */
  private static Builder readFields(BlockCoder.Reader r) throws IOException {
    Builder b = new Builder();
    b.eventTimeMillis = r.readVarLong();
    b.serverId = r.readString();
    b.build = r.readCommonString();
    b.versionFull = r.readCommonString();
    b.versionMajor = r.readNullableInt();
    b.versionMinor = r.readNullableInt();
    b.versionPatch = r.readNullableInt();
    b.customBuild = r.readBoolean();
    b.enterpriseReady = r.readNullableBoolean();
    b.database = r.readCommonString();
    b.os = r.readCommonString();
    b.registeredUsers = r.readNullableLong();
    b.teams = r.readNullableLong();
    b.activeUsers = r.readNullableLong();
    b.ranUnitTests = r.readBoolean();
    b.clientIp = r.readString();
    b.clientIpHash = r.readHex();
    b.clientNetwork = r.readCommonString();
    b.edgeLocation = r.readCommonString();
    b.requestId = r.readString();
    b.countryIso = r.readCommonString();
    b.countryName = r.readCommonString();
    b.subdivisionIso = r.readCommonString();
    b.subdivisionName = r.readCommonString();
    b.city = r.readCommonString();
    b.asn = r.readNullableLong();
    b.exclusionMask = r.readVarInt();
    return b;
  }
  // END GENERATED

  // ------------------------------------------------------------------ accessors

  /** Event time (CloudFront {@code date} + {@code time}, UTC) in epoch milliseconds. */
  public long eventTimeMillis() {
    return eventTimeMillis;
  }

  /** The UTC log day as days since 1970-01-01. */
  public int logEpochDay() {
    return logEpochDay;
  }

  @Override
  public String serverId() {
    return serverId;
  }

  /** Raw {@code b}. */
  public String build() {
    return build;
  }

  public String versionFull() {
    return versionFull;
  }

  public Integer versionMajor() {
    return versionMajor;
  }

  public Integer versionMinor() {
    return versionMinor;
  }

  public Integer versionPatch() {
    return versionPatch;
  }

  /** {@code "<major>.<minor>"}, or null. */
  public String versionMajorMinor() {
    return BuildVersion.majorMinor(versionMajor, versionMinor);
  }

  @Override
  public boolean customBuild() {
    return customBuild;
  }

  /** {@code be}: null if missing. */
  public Boolean enterpriseReady() {
    return enterpriseReady;
  }

  /** {@code E0} if {@code be=true}, {@code TE} if present otherwise, {@code Unknown} if missing. */
  public String edition() {
    return editionOf(enterpriseReady);
  }

  /** {@code db}. */
  public String database() {
    return database;
  }

  /** {@code os}. */
  public String os() {
    return os;
  }

  @Override
  public Long registeredUsers() {
    return registeredUsers;
  }

  /** {@code tc}. */
  public Long teams() {
    return teams;
  }

  @Override
  public Long activeUsers() {
    return activeUsers;
  }

  @Override
  public boolean ranUnitTests() {
    return ranUnitTests;
  }

  /**
   * The client address in clear: only with {@code --storeClientIpInClear} (or a ping built without
   * {@link Builder#pseudonyms}); null otherwise.
   */
  @Override
  public String clientIp() {
    return clientIp;
  }

  /** {@code client_ip_hash}: the keyed HMAC-SHA-256 of the address (64 hex); null without one. */
  public String clientIpHash() {
    return clientIpHash;
  }

  /** The address's {@code /24} or {@code /48} network: only with {@code --storeNetwork}, else null. */
  public String clientNetwork() {
    return clientNetwork;
  }

  /** The first 64 bits of {@link #clientIpHash()} (0 when there is no hash). */
  public long clientIpFingerprint() {
    return clientIpFingerprint;
  }

  public String edgeLocation() {
    return edgeLocation;
  }

  public String requestId() {
    return requestId;
  }

  public String countryIso() {
    return countryIso;
  }

  public String countryName() {
    return countryName;
  }

  public String subdivisionIso() {
    return subdivisionIso;
  }

  public String subdivisionName() {
    return subdivisionName;
  }

  public String city() {
    return city;
  }

  public Long asn() {
    return asn;
  }

  /** Bit mask of {@link ExclusionReason}s. */
  public int exclusionMask() {
    return exclusionMask;
  }

  /** Whether any exclusion reason is set. */
  public boolean excluded() {
    return exclusionMask != 0;
  }

  /** Whether {@code reason} is set. */
  public boolean has(ExclusionReason reason) {
    return reason.in(exclusionMask);
  }

  /** Codes of the exclusion reasons, in enum order. */
  public List<String> exclusionCodes() {
    return ExclusionReason.codes(exclusionMask);
  }

  /** Equal when every field of {@link #FIELDS} is. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SecurityPing p)) {
      return false;
    }
    for (RecordField<SecurityPing> f : FIELDS) {
      if (!Objects.equals(f.value(this), f.value(p))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (RecordField<SecurityPing> f : FIELDS) {
      h = 31 * h + Objects.hashCode(f.value(this));
    }
    return h;
  }

  /** {@code SecurityPing{event_time=…, …}}: every field of {@link #FIELDS}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SecurityPing{");
    for (RecordField<SecurityPing> f : FIELDS) {
      sb.append(sb.length() > 13 ? ", " : "").append(f.name()).append('=').append(f.value(this));
    }
    return sb.append('}').toString();
  }

  /**
   * Mutable, reusable builder. {@link #rawBuild(String)} derives the version fields at once, so the
   * builder can answer {@link SecurityPingFields} (for the exclusion rules) before {@link #build()}.
   */
  public static final class Builder implements SecurityPingFields {
    private long eventTimeMillis;
    private String serverId;
    private String build;
    private String versionFull;
    private Integer versionMajor;
    private Integer versionMinor;
    private Integer versionPatch;
    private boolean customBuild = true;
    private Boolean enterpriseReady;
    private String database;
    private String os;
    private Long registeredUsers;
    private Long teams;
    private Long activeUsers;
    private boolean ranUnitTests;
    private String clientIp;
    private boolean keepClientIp = true;
    private String clientIpHash;
    private String clientNetwork;
    private long clientIpFingerprint;
    private String edgeLocation;
    private String requestId;
    private String countryIso;
    private String countryName;
    private String subdivisionIso;
    private String subdivisionName;
    private String city;
    private Long asn;
    private int exclusionMask;

    Builder() {}

    /** Resets every field to its initial value (null, 0, false; custom build true). */
    public Builder clear() {
      eventTimeMillis = 0;
      serverId = null;
      rawBuild(null);
      enterpriseReady = null;
      database = null;
      os = null;
      registeredUsers = null;
      teams = null;
      activeUsers = null;
      ranUnitTests = false;
      clientIp = null;
      pseudonyms(null, null, 0, true);
      edgeLocation = null;
      requestId = null;
      geo(null, null, null, null, null, null);
      exclusionMask = 0;
      return this;
    }

    /** Creates the ping. The builder keeps its values and can be changed and reused. */
    public SecurityPing build() {
      return new SecurityPing(this);
    }

    public Builder eventTimeMillis(long eventTimeMillis) {
      this.eventTimeMillis = eventTimeMillis;
      return this;
    }

    public Builder serverId(String serverId) {
      this.serverId = serverId;
      return this;
    }

    /** Sets raw {@code b} and derives version full/major/minor/patch and the custom-build flag. */
    public Builder rawBuild(String b) {
      return decodedBuild(
          b,
          BuildVersion.versionFull(b),
          BuildVersion.numericPart(b, 1),
          BuildVersion.numericPart(b, 2),
          BuildVersion.numericPart(b, 3),
          BuildVersion.isCustomBuild(b));
    }

    /** Sets raw {@code b} with the version fields derived from it. */
    private Builder decodedBuild(
        String b,
        String versionFull,
        Integer versionMajor,
        Integer versionMinor,
        Integer versionPatch,
        boolean customBuild) {
      this.build = b;
      this.versionFull = versionFull;
      this.versionMajor = versionMajor;
      this.versionMinor = versionMinor;
      this.versionPatch = versionPatch;
      this.customBuild = customBuild;
      return this;
    }

    public Builder enterpriseReady(Boolean enterpriseReady) {
      this.enterpriseReady = enterpriseReady;
      return this;
    }

    public Builder database(String database) {
      this.database = database;
      return this;
    }

    public Builder os(String os) {
      this.os = os;
      return this;
    }

    public Builder registeredUsers(Long registeredUsers) {
      this.registeredUsers = registeredUsers;
      return this;
    }

    public Builder teams(Long teams) {
      this.teams = teams;
      return this;
    }

    public Builder activeUsers(Long activeUsers) {
      this.activeUsers = activeUsers;
      return this;
    }

    public Builder ranUnitTests(boolean ranUnitTests) {
      this.ranUnitTests = ranUnitTests;
      return this;
    }

    public Builder clientIp(String clientIp) {
      this.clientIp = clientIp;
      return this;
    }

    /**
     * What the ping keeps of its address ({@link #clientIp(String)} stays readable here, for the
     * exclusion rules): its hash, network (or null) and fingerprint, and whether the built ping
     * keeps the address itself ({@code --storeClientIpInClear}).
     */
    public Builder pseudonyms(String hash, String network, long fingerprint, boolean keepClear) {
      this.clientIpHash = hash;
      this.clientNetwork = network;
      this.clientIpFingerprint = fingerprint;
      this.keepClientIp = keepClear;
      return this;
    }

    /**
     * Pseudonymizes the address set with {@link #clientIp(String)} as {@code policy} says (what
     * the parse step does with every ping it reads).
     */
    public Builder pseudonymize(ClientIpPolicy policy) {
      ClientIpPolicy.Pseudonyms p = policy.pseudonyms(clientIp);
      return p == null
          ? pseudonyms(null, null, 0, false)
          : pseudonyms(p.hash(), p.network(), p.fingerprint(), policy.storesInClear());
    }

    public Builder edgeLocation(String edgeLocation) {
      this.edgeLocation = edgeLocation;
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** Sets all GeoIP fields at once (any may be null). */
    public Builder geo(
        String countryIso,
        String countryName,
        String subdivisionIso,
        String subdivisionName,
        String city,
        Long asn) {
      this.countryIso = countryIso;
      this.countryName = countryName;
      this.subdivisionIso = subdivisionIso;
      this.subdivisionName = subdivisionName;
      this.city = city;
      this.asn = asn;
      return this;
    }

    public Builder exclusionMask(int exclusionMask) {
      this.exclusionMask = exclusionMask;
      return this;
    }

    @Override
    public String serverId() {
      return serverId;
    }

    @Override
    public String clientIp() {
      return clientIp;
    }

    @Override
    public boolean ranUnitTests() {
      return ranUnitTests;
    }

    @Override
    public boolean customBuild() {
      return customBuild;
    }

    @Override
    public Long registeredUsers() {
      return registeredUsers;
    }

    @Override
    public Long activeUsers() {
      return activeUsers;
    }

    /** The country ISO code set with {@link #geo}, or null. */
    public String countryIso() {
      return countryIso;
    }

    /** Raw {@code b} set with {@link #rawBuild(String)}. */
    public String rawBuild() {
      return build;
    }

    /** Event time set with {@link #eventTimeMillis(long)}. */
    public long eventTimeMillis() {
      return eventTimeMillis;
    }
  }
}
