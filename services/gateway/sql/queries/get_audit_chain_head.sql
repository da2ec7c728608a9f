SELECT last_sequence, last_hash FROM audit_chain_head
