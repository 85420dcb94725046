import CCurl
import Foundation

/// One libcurl easy handle. Reusing it (after `curl_easy_reset`, which keeps live connections) lets
/// consecutive requests to the same host share a connection.
final class EasyHandle {
    private let handle: UnsafeMutableRawPointer

    init() {
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    func perform(_ request: HTTPRequest, configuration: CurlTransportConfiguration) -> Result<
        HTTPResponse, CurlTransportError
    > {
        curl_easy_reset(handle)
        let sink = ResponseSink()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            ccurl_setopt_string(handle, CURLOPT_URL, request.url)
            ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            ccurl_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
            ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
            ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.requestTimeout * 1000))
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
            ccurl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
            ccurl_setopt_long(handle, CURLOPT_FRESH_CONNECT, request.freshConnection ? 1 : 0)
            ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
            ccurl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent)
            if let bundle = configuration.caBundlePath { ccurl_setopt_string(handle, CURLOPT_CAINFO, bundle) }
            if let proxy = configuration.proxy { ccurl_setopt_string(handle, CURLOPT_PROXY, proxy) }
            ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)

            switch (request.method, request.body) {
            case ("GET", nil):
                ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            case (let method, nil):
                ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
                if method == "POST" || method == "PUT" || method == "PATCH" {
                    ccurl_setopt_long(handle, CURLOPT_POST, 1)
                    ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0)
                    ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
                }
            case (let method, let body?):
                ccurl_setopt_long(handle, CURLOPT_POST, 1)
                ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                _ = body.withUnsafeBytes { ccurl_setopt_bytes(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
                if method != "POST" { ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method) }
            }

            for field in request.headers { headerList = curl_slist_append(headerList, "\(field.name): \(field.value)") }
            // No `Expect: 100-continue` round trip before bodies.
            headerList = curl_slist_append(headerList, "Expect:")
            ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

            let context = Unmanaged.passUnretained(sink).toOpaque()
            ccurl_setopt_write_function(handle) { pointer, size, count, userdata in
                guard let pointer, let userdata else { return 0 }
                let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                let bytes = UnsafeRawBufferPointer(start: pointer, count: size * count)
                sink.body.append(contentsOf: bytes)
                return size * count
            }
            ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            ccurl_setopt_header_function(handle) { pointer, size, count, userdata in
                guard let pointer, let userdata else { return 0 }
                let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                let bytes = UnsafeRawBufferPointer(start: pointer, count: size * count)
                sink.headerLine(String(decoding: bytes, as: UTF8.self))
                return size * count
            }
            ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            return curl_easy_perform(handle)
        }

        guard code == CURLE_OK else {
            var message = String(cString: curl_easy_strerror(code))
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if !detail.isEmpty { message += ": \(detail)" }
            let url = request.url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.url
            return .failure(
                CurlTransportError(code: Int(code.rawValue), message: message, method: request.method, url: url))
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var version = 0
        ccurl_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        let versionText =
            switch version {
            case CURL_HTTP_VERSION_2_0: "2"
            case CURL_HTTP_VERSION_3: "3"
            case CURL_HTTP_VERSION_1_0: "1.0"
            default: "1.1"
            }
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body, httpVersion: versionText))
    }
}

/// Collects what libcurl's callbacks deliver for one transfer.
final class ResponseSink {
    var body: [UInt8] = []
    var headers: [String: String] = [:]

    func headerLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a redirect): only the last response's fields count.
            headers = [:]
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers[name] = value
    }
}
