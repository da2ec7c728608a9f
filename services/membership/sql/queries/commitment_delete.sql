-- $1 commitment id
DELETE FROM commitments
WHERE commitment_id = $1::uuid
