"""Answering interactions: the callback, followups and the ``@original`` webhook messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import fields as known
from sandbox import shapes
from sandbox.kinds import ALLOWED_CALLBACKS, MESSAGE_UPDATES, CallbackType, InteractionType
from sandbox.limits import (
    DEFER_FIELDS,
    EPHEMERAL,
    INTERACTION_MESSAGE_FLAGS,
    LOADING,
    FormErrors,
    validate_choices,
    validate_known_fields,
    validate_message,
    validate_modal,
)
from sandbox.messages import Attachment, Message
from sandbox.rest import posting
from sandbox.rest.base import Req, Resource, Routes, bool_query, err

if TYPE_CHECKING:
    from sandbox.control.interaction import Interaction

WEBHOOK = "/webhooks/{application_id}/{interaction_token}"


class Interactions(Resource):
    def register(self, routes: Routes) -> None:
        routes.add(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self.callback,
            auth=False,
        )
        routes.add("POST", WEBHOOK, self.followup, auth=False)
        for method, handler in (
            ("GET", self.get_webhook_message),
            ("PATCH", self.edit_webhook_message),
            ("DELETE", self.delete_webhook_message),
        ):
            routes.add(method, f"{WEBHOOK}/messages/@original", handler, auth=False)
            routes.add(method, f"{WEBHOOK}/messages/{{message_id}}", handler, auth=False)

    # --- the callback ------------------------------------------------------------------------
    async def callback(self, req: Req) -> tuple[int, Any]:
        try:
            ix = self.state.interactions[int(req.params["interaction_id"])]
        except (KeyError, ValueError):
            raise err(404, 10062, "Unknown interaction") from None
        if ix.token != req.params["interaction_token"]:
            raise err(404, 10062, "Unknown interaction")
        payload = req.json if isinstance(req.json, dict) else {}
        ix.callback_payloads.append(payload)
        validate_known_fields((), payload, known.CALLBACK)
        if ix.acked:
            raise err(400, 40060, "Interaction has already been acknowledged.")
        if self.ctx.clock.loop() - ix.created > self.ctx.deadlines.ack:
            ix.expired = True
            raise err(404, 10062, "Unknown interaction")
        rtype = self._callback_type(ix, payload.get("type"))
        message = self._answer(ix, rtype, payload.get("data") or {}, req.files)
        ix.acked = True
        ix.response_type = rtype
        ix.acked_at = self.ctx.clock.loop()
        self.state.changed()
        if not bool_query(req.query.get("with_response")):
            return 204, None
        interaction: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
        out: dict[str, Any] = {"interaction": interaction}
        if message is not None:
            interaction["response_message_id"] = str(message.id)
            interaction["response_message_loading"] = message.loading
            interaction["response_message_ephemeral"] = message.ephemeral
            # the spec has message resources for these two only
            if rtype in (CallbackType.CHANNEL_MESSAGE_WITH_SOURCE, CallbackType.UPDATE_MESSAGE):
                out["resource"] = {"type": rtype, "message": shapes.message(message)}
        return 200, out

    def _answer(
        self, ix: Interaction, rtype: CallbackType, data: dict[str, Any], files: list[Attachment]
    ) -> Message | None:
        """Carry out one callback type; the message it produced or changed, if any."""
        if rtype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            validate_message(
                data,
                has_files=bool(files),
                creating=True,
                fields=known.CALLBACK_MESSAGE,
                settable_flags=INTERACTION_MESSAGE_FLAGS,
            )
            ix.original = self._interaction_message(ix, data, files)
            return ix.original
        if rtype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            validate_known_fields(("data",), data, DEFER_FIELDS)
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            ix.original = self._interaction_message(ix, {"content": "", "flags": flags}, [])
            return ix.original
        if rtype == CallbackType.DEFERRED_UPDATE_MESSAGE:
            ix.original = ix.source_message
        elif rtype == CallbackType.UPDATE_MESSAGE:
            validate_message(
                data, has_files=bool(files), creating=False, fields=known.CALLBACK_UPDATE
            )
            assert ix.source_message is not None
            posting.apply_edit(self.state, ix.source_message, data, files)
            ix.original = ix.source_message
            return ix.original
        elif rtype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            validate_choices(data)
            ix.choices = list(data["choices"])
        elif rtype == CallbackType.MODAL:
            validate_modal(data)
            ix.modal = data
        return None

    def _callback_type(self, ix: Interaction, value: Any) -> CallbackType:
        """The callback type, if Discord accepts it for this interaction (else 50035)."""
        allowed = set(ALLOWED_CALLBACKS.get(ix.type, frozenset()))
        if ix.type == InteractionType.MODAL_SUBMIT and ix.source_message is not None:
            allowed |= MESSAGE_UPDATES
        if value not in allowed:
            raise FormErrors.single(
                ("type",),
                "INTERACTION_CALLBACK_TYPE_INVALID",
                f"Interaction callback type {value} is not valid for interaction type "
                f"{int(ix.type)}.",
            )
        return CallbackType(value)

    def _interaction_message(
        self, ix: Interaction, data: dict[str, Any], files: list[Attachment]
    ) -> Message:
        flags = int(data.get("flags") or 0) & (INTERACTION_MESSAGE_FLAGS | LOADING)
        message = Message(
            self.state.ids.next(),
            ix.channel,
            self.state.bot_user,
            content=data.get("content") or "",
            embeds=list(data.get("embeds") or []),
            components=list(data.get("components") or []),
            attachments=list(files),
            flags=flags,
            type=ix.message_type,
            allowed_mentions=data.get("allowed_mentions"),
            webhook_id=self.state.application_id,
            application_id=self.state.application_id,
            interaction_metadata=ix.metadata(),
            visible_to=ix.user.id if flags & EPHEMERAL else None,
        )
        posting.store(self.state, message)
        return message

    # --- followups and webhook messages --------------------------------------------------------
    def _interaction(self, req: Req) -> Interaction:
        return self.interaction_by_token(
            req.params["interaction_token"], req.params["application_id"]
        )

    def _message_body(self, req: Req, *, creating: bool) -> dict[str, Any]:
        """A followup's or webhook edit's body, once Discord's limits are checked."""
        data: dict[str, Any] = req.json or {}
        validate_message(
            data,
            has_files=bool(req.files),
            creating=creating,
            fields=known.WEBHOOK_EXECUTE if creating else known.WEBHOOK_EDIT,
            settable_flags=INTERACTION_MESSAGE_FLAGS,
        )
        return data

    async def followup(self, req: Req) -> tuple[int, Any]:
        ix = self._interaction(req)
        if not ix.acked:
            raise err(404, 10015, "Unknown Webhook")
        data = self._message_body(req, creating=True)
        original = ix.original
        deferred = ix.response_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        if deferred and original is not None and original.loading:
            # Discord: the first followup after a deferred response replaces the "thinking" message.
            posting.apply_edit(self.state, original, data, req.files)
            message = original
        else:
            message = self._interaction_message(ix, data, req.files)
            ix.followups.append(message)
        self.state.changed()
        if bool_query(req.query.get("wait")):
            return 200, shapes.message(message)
        return 204, None

    def _webhook_message(self, req: Req) -> Message:
        ix = self._interaction(req)
        message_id = req.params.get("message_id")
        found: Message | None = None
        if message_id is None:  # @original
            found = ix.original
        else:
            found = next(
                (m for m in [ix.original, *ix.followups] if m and str(m.id) == message_id), None
            )
        if found is None or found.deleted:
            raise err(404, 10008, "Unknown Message")
        return found

    async def get_webhook_message(self, req: Req) -> tuple[int, Any]:
        return 200, shapes.message(self._webhook_message(req))

    async def edit_webhook_message(self, req: Req) -> tuple[int, Any]:
        message = self._webhook_message(req)
        data = self._message_body(req, creating=False)
        posting.apply_edit(self.state, message, data, req.files)
        return 200, shapes.message(message)

    async def delete_webhook_message(self, req: Req) -> tuple[int, Any]:
        posting.delete(self.state, self._webhook_message(req))
        return 204, None
