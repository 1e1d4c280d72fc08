"""The console chatbot: understanding (nlu), deciding (dialogue), doing (actions over client)."""
