DROP TABLE petition_photos;
