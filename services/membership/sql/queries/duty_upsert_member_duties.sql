-- $1 member id, $2 year, $3 area codes (text[]), $4 free text. Replaces the
-- member's duties for the year; an identical repeat changes nothing and
-- returns no row.
INSERT INTO member_duties AS d (member_id, year, area_codes, free_text)
VALUES ($1::uuid, $2, $3::text[], $4)
ON CONFLICT (member_id, year) DO UPDATE
SET area_codes = EXCLUDED.area_codes, free_text = EXCLUDED.free_text, update_time = now()
WHERE (d.area_codes, d.free_text) IS DISTINCT FROM (EXCLUDED.area_codes, EXCLUDED.free_text)
RETURNING d.member_id::text AS member_id, d.year, d.area_codes, d.free_text,
          (extract(epoch FROM d.update_time) * 1000000)::bigint AS update_time_us
