"""The OpenAPI schema documents the error answers every operation can give, so that a client (and the
Schemathesis run in tests/security) knows them: 400 (validation or an unknown filter value), 401/403
(not signed in, or the role may not), 404 (not in the caller's scope), 429 (rate limit)."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

ERROR_CODES = {
    "400": "Isian atau saringan tidak sah.",
    "401": "Belum masuk.",
    "403": "Tidak diizinkan.",
    "404": "Tidak ditemukan (atau di luar wilayah Anda).",
    "429": "Terlalu banyak permintaan.",
}
ERROR_BODY = {"type": "object", "additionalProperties": {}}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # an error is rendered like a success, in the negotiated format (the schema view has several)
        media_types = self.map_renderers("media_type") or ["application/json"]
        content = {media_type: {"schema": ERROR_BODY} for media_type in media_types}
        for code, description in ERROR_CODES.items():
            responses.setdefault(code, {"description": description, "content": content})
        return responses
