"""CRM configuration: where each stage lives per platform (plain data), and the
deployable Salesforce source and HubSpot API bodies built from it."""
