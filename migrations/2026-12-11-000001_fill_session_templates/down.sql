-- The templates filled stay: the next import would read them again anyway.
SELECT 1;
