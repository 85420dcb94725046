/// Namespace for the CurlHTTP module.
public enum CurlHTTPModule {}
