-- The stored times stay UTC: only the program knew the zone to convert them back with.
DROP TABLE times_to_convert;
