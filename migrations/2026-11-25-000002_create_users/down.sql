DROP TABLE web_sessions;
DROP TABLE api_tokens;
DROP TABLE users;
