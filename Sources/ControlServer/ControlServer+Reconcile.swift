import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Reconciler

extension ControlServer {
    /// `POST /api/v1/reconcile?product=P&target=T` (bearer token): reconciles the product in the environment on
    /// the next pass, started now, applying even where `sync.mode` is `manual`, and answers with the status it
    /// came to (`{"product", "target", "outcome", "message", ...}`, as in `/api/v1/status`). 400 without both
    /// parameters, 404 for an unknown product or environment.
    func reconcile(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        guard let product = parameters["product"].map(String.init), !product.isEmpty,
            let target = parameters["target"].map(String.init), !target.isEmpty
        else {
            return Self.text(.badRequest, "name the product and the environment: ?product=P&target=T\n")
        }
        let status: ProductStatus
        do {
            status = try await controller.requestSync(product: product, target: target)
        } catch {
            return Self.text(.notFound, "\(error)\n")
        }
        logger.notice(
            "reconcile requested through the API",
            metadata: ["product": "\(product)", "target": "\(target)", "outcome": "\(status.outcome.rawValue)"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        return Response(
            status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(status))))
    }
}
