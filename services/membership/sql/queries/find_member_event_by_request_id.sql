-- $1 request id of a TransferMember call: the member it moved.
SELECT member_id::text AS member_id
FROM member_events
WHERE request_id = $1
