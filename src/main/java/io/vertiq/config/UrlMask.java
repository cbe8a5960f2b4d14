package io.vertiq.config;

/** Hides the password (and any token) in a connection URL so it can be logged. */
public final class UrlMask {
  private UrlMask() {}

  public static String mask(String url) {
    if (url == null) return null;
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) return url;
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String masked = colon >= 0 ? userInfo.substring(0, colon) + ":****" : "****";
    return url.substring(0, scheme + 3) + masked + url.substring(at);
  }
}
